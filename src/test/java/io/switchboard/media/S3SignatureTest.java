package io.switchboard.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Against the example of AWS's S3 API reference, "Signature Calculations for the Authorization Header: Transferring
 * Payload in a Single Chunk (AWS Signature Version 4)", Example: GET Object (the first 10 bytes of
 * {@code examplebucket/test.txt}, 24 May 2013, us-east-1).
 */
class S3SignatureTest {

    private final S3Signature aws = new S3Signature("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1");

    private static Map<String, String> getObjectHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "examplebucket.s3.amazonaws.com");
        headers.put("Range", "bytes=0-9");
        headers.put("x-amz-content-sha256", S3Signature.EMPTY_SHA256);
        headers.put("x-amz-date", "20130524T000000Z");
        return headers;
    }

    @Test
    void theGetObjectExampleOfTheS3DocumentationIsSignedAsPublished() {
        String canonical = S3Signature.canonicalRequest("GET", "/test.txt", "", getObjectHeaders(), S3Signature.EMPTY_SHA256);
        assertThat(canonical).isEqualTo("""
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");

        assertThat(aws.authorization("GET", "/test.txt", "", getObjectHeaders(), S3Signature.EMPTY_SHA256)).isEqualTo(
                "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @Test
    void anotherSecretOrAnotherByteRangeIsAnotherSignature() {
        String published = "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
        var wrongSecret = new S3Signature("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ", "us-east-1");
        assertThat(wrongSecret.authorization("GET", "/test.txt", "", getObjectHeaders(), S3Signature.EMPTY_SHA256)).doesNotContain(published);
        Map<String, String> otherRange = getObjectHeaders();
        otherRange.put("Range", "bytes=0-10");
        assertThat(aws.authorization("GET", "/test.txt", "", otherRange, S3Signature.EMPTY_SHA256)).doesNotContain(published);
    }

    @Test
    void keysAreEncodedOnceAsS3Expects() {
        assertThat(S3Signature.encodePath("/examplebucket/test$file.text")).isEqualTo("/examplebucket/test%24file.text");
        assertThat(S3Signature.encodePath("/b/ação 1+2~x_y-z.png")).isEqualTo("/b/a%C3%A7%C3%A3o%201%2B2~x_y-z.png");
        assertThat(S3Signature.sha256Hex("Welcome to Amazon S3.".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
        assertThat(S3Signature.amzDate(Instant.parse("2013-05-24T00:00:00Z"))).isEqualTo("20130524T000000Z");
    }
}

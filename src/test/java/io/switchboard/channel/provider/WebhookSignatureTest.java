package io.switchboard.channel.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    // Vector from twilio-java RequestValidatorTest, quoted in PROTOCOLS.md.
    private static final String TWILIO_TOKEN = "12345";
    private static final String TWILIO_URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final String TWILIO_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    private static Map<String, String> twilioParams() {
        Map<String, String> params = new HashMap<>();
        params.put("Digits", "1234");
        params.put("CallSid", "CA1234567890ABCDE");
        params.put("To", "+18005551212");
        params.put("Caller", "+14158675309");
        params.put("From", "+14158675309");
        return params;
    }

    @Test
    void twilio_reference_vector_is_accepted() {
        assertThat(TwilioSignature.compute(TWILIO_URL, twilioParams(), TWILIO_TOKEN)).isEqualTo(TWILIO_SIGNATURE);
        assertThat(TwilioSignature.isValid(TWILIO_URL, twilioParams(), TWILIO_SIGNATURE, TWILIO_TOKEN)).isTrue();
    }

    @Test
    void twilio_signature_is_accepted_when_the_url_carries_the_default_port() {
        String withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        assertThat(TwilioSignature.isValid(withPort, twilioParams(), TWILIO_SIGNATURE, TWILIO_TOKEN)).isTrue();
    }

    @Test
    void twilio_signature_computed_with_the_port_is_accepted_on_the_url_without_it() {
        String withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        String signedWithPort = TwilioSignature.compute(withPort, twilioParams(), TWILIO_TOKEN);
        assertThat(TwilioSignature.isValid(TWILIO_URL, twilioParams(), signedWithPort, TWILIO_TOKEN)).isTrue();
    }

    @Test
    void twilio_signature_is_rejected_when_a_parameter_was_tampered_with() {
        Map<String, String> tampered = twilioParams();
        tampered.put("Digits", "1235");
        assertThat(TwilioSignature.isValid(TWILIO_URL, tampered, TWILIO_SIGNATURE, TWILIO_TOKEN)).isFalse();
    }

    @Test
    void twilio_signature_is_rejected_when_a_parameter_was_added() {
        Map<String, String> extra = twilioParams();
        extra.put("Body", "free money");
        assertThat(TwilioSignature.isValid(TWILIO_URL, extra, TWILIO_SIGNATURE, TWILIO_TOKEN)).isFalse();
    }

    @Test
    void twilio_signature_is_rejected_with_the_wrong_auth_token() {
        assertThat(TwilioSignature.isValid(TWILIO_URL, twilioParams(), TWILIO_SIGNATURE, "54321")).isFalse();
    }

    @Test
    void twilio_signature_is_rejected_on_a_different_url_or_a_non_default_port() {
        assertThat(TwilioSignature.isValid("https://mycompany.com/other.php?foo=1&bar=2", twilioParams(),
                TWILIO_SIGNATURE, TWILIO_TOKEN)).isFalse();
        assertThat(TwilioSignature.isValid("https://mycompany.com:8443/myapp.php?foo=1&bar=2", twilioParams(),
                TWILIO_SIGNATURE, TWILIO_TOKEN)).isFalse();
    }

    @Test
    void missing_or_blank_twilio_signature_header_is_rejected() {
        assertThat(TwilioSignature.isValid(TWILIO_URL, twilioParams(), null, TWILIO_TOKEN)).isFalse();
        assertThat(TwilioSignature.isValid(TWILIO_URL, twilioParams(), "  ", TWILIO_TOKEN)).isFalse();
    }

    @Test
    void meta_signature_over_the_raw_body_is_accepted_and_a_one_byte_change_is_rejected() {
        byte[] body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
        String header = MetaSignature.compute(body, "app-secret");

        assertThat(header).startsWith("sha256=").matches("sha256=[0-9a-f]{64}");
        assertThat(MetaSignature.isValid(body, header, "app-secret")).isTrue();

        byte[] changed = body.clone();
        changed[changed.length - 2] = '{';
        assertThat(MetaSignature.isValid(changed, header, "app-secret")).isFalse();
        assertThat(MetaSignature.isValid(body, header, "other-secret")).isFalse();
    }

    @Test
    void meta_signature_matches_an_independently_computed_value() {
        // echo -n 'hello' | openssl dgst -sha256 -hmac 'secret'
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(MetaSignature.compute(body, "secret"))
                .isEqualTo("sha256=88aab3ede8d3adf94d26ab90d3bafd4a2083070c3bcce9c014ee04a443847c0b");
    }

    @Test
    void missing_meta_signature_header_is_rejected() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(MetaSignature.isValid(body, null, "app-secret")).isFalse();
        assertThat(MetaSignature.isValid(body, "", "app-secret")).isFalse();
        assertThat(MetaSignature.isValid(body, "sha256=", "app-secret")).isFalse();
    }
}

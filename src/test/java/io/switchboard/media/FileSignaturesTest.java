package io.switchboard.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.MediaFakes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a file's first bytes say, and when they contradict the type it came with. */
class FileSignaturesTest {

    @Test
    void imagesPdfsAndProgramsAreKnownByTheirFirstBytes() {
        assertThat(FileSignatures.typeOf(MediaFakes.PNG)).isEqualTo("image/png");
        assertThat(FileSignatures.typeOf(MediaFakes.PDF)).isEqualTo("application/pdf");
        assertThat(FileSignatures.typeOf(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0})).isEqualTo("image/jpeg");
        assertThat(FileSignatures.typeOf(bytes("GIF89a..."))).isEqualTo("image/gif");
        assertThat(FileSignatures.typeOf(bytes("RIFF\0\0\0\0WEBPVP8 "))).isEqualTo("image/webp");
        assertThat(FileSignatures.typeOf(bytes("nome;valor\n"))).isNull();
        assertThat(FileSignatures.typeOf(new byte[0])).isNull();
        assertThat(FileSignatures.program(bytes("MZ\u0090\0"))).isTrue();
        assertThat(FileSignatures.program(new byte[] {0x7F, 'E', 'L', 'F', 2})).isTrue();
        assertThat(FileSignatures.program(new byte[] {(byte) 0xCF, (byte) 0xFA, (byte) 0xED, (byte) 0xFE})).isTrue();
        assertThat(FileSignatures.program(MediaFakes.PDF)).isFalse();
    }

    @Test
    void aClaimedImageOrPdfMustBeOneOtherTypesAreTakenAtTheirWord() {
        assertThat(FileSignatures.contradicts("image/png", bytes("<html>"))).isTrue();
        assertThat(FileSignatures.contradicts("application/pdf; charset=x", bytes("<html>"))).isTrue();
        assertThat(FileSignatures.contradicts("image/jpeg", MediaFakes.PNG)).as("an image with the wrong extension is still an image").isFalse();
        assertThat(FileSignatures.contradicts("application/pdf", MediaFakes.PDF)).isFalse();
        assertThat(FileSignatures.contradicts("text/csv", bytes("a;b\n"))).isFalse();
        assertThat(FileSignatures.contradicts(null, bytes("a"))).isFalse();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}

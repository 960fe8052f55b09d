package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Body limits and upload addresses by path prefix, a {@code *} standing for one whole segment. */
class RequestGuardPathsTest {

    private final RequestGuard.BodyLimits limits = new RequestGuard.BodyLimits(Map.of(
            "/webchat/", DataSize.ofKilobytes(64), "/webchat/*/attachments", DataSize.ofMegabytes(17), "/", DataSize.ofMegabytes(1)),
            List.of("/inbox/attachments/", "/webchat/*/attachments"));

    @Test
    void theWebChatUploadAddressOfAnyAccountGetsItsOwnLimitAndTheRestOfTheWebChatKeepsTheSmallOne() {
        assertThat(limits.forPath("/webchat/5fdea02b-8234-4b56-b088-d554af2775b7/attachments")).isEqualTo(DataSize.ofMegabytes(17));
        assertThat(limits.forPath("/webchat/5fdea02b-8234-4b56-b088-d554af2775b7/messages")).isEqualTo(DataSize.ofKilobytes(64));
        assertThat(limits.forPath("/webchat//attachments")).as("an empty segment is no segment").isEqualTo(DataSize.ofKilobytes(64));
        assertThat(limits.forPath("/webchat/a/b/attachments")).as("one segment, not several").isEqualTo(DataSize.ofKilobytes(64));
        assertThat(limits.forPath("/inbox")).isEqualTo(DataSize.ofMegabytes(1));
    }

    @Test
    void onlyTheUploadAddressesTakeMultipart() {
        assertThat(limits.takesUploads("/webchat/abc/attachments")).isTrue();
        assertThat(limits.takesUploads("/inbox/attachments/123")).isTrue();
        assertThat(limits.takesUploads("/webchat/abc/messages")).isFalse();
        assertThat(limits.takesUploads("/webchat/abc")).isFalse();
        assertThat(RequestGuard.BodyLimits.startsWith("/a/xyz", "/a/*")).as("a trailing star").isTrue();
        assertThat(RequestGuard.BodyLimits.startsWith("/a/", "/a/*")).isFalse();
    }
}

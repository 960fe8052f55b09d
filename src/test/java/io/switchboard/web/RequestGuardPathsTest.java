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

    @Test
    void raisingTheMediaLimitRaisesEveryUploadAddressAndNothingElse() {
        RequestGuard.BodyLimits configured = new RequestGuard.BodyLimits(Map.of(
                "/webchat/", DataSize.ofKilobytes(64), "/api/", DataSize.ofMegabytes(2), "/api/v1/knowledge_bases/",
                DataSize.ofMegabytes(100), "/", DataSize.ofMegabytes(1)),
                List.of("/inbox/attachments/", "/webchat/*/attachments", "/api/v1/attachments", "/api/v1/knowledge_bases/"));
        RequestGuard.BodyLimits raised = configured.takingFilesOf(DataSize.ofMegabytes(50));
        assertThat(raised.forPath("/webchat/5fdea02b/attachments")).isEqualTo(DataSize.ofMegabytes(51));
        assertThat(raised.forPath("/inbox/attachments/123")).isEqualTo(DataSize.ofMegabytes(51));
        assertThat(raised.forPath("/api/v1/attachments")).isEqualTo(DataSize.ofMegabytes(51));
        assertThat(raised.forPath("/api/v1/knowledge_bases/1/documents")).as("already larger: kept").isEqualTo(DataSize.ofMegabytes(100));
        assertThat(raised.forPath("/webchat/5fdea02b/messages")).isEqualTo(DataSize.ofKilobytes(64));
        assertThat(raised.forPath("/api/v1/conversations")).isEqualTo(DataSize.ofMegabytes(2));
        assertThat(raised.forPath("/inbox")).isEqualTo(DataSize.ofMegabytes(1));
    }
}

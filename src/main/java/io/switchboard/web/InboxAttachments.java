package io.switchboard.web;

import io.switchboard.identity.Caller;
import io.switchboard.media.Attachments;
import io.switchboard.media.MediaFile;
import io.switchboard.media.MediaFiles;
import io.switchboard.media.MediaProperties;
import io.switchboard.media.MediaRefused;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Files in the inbox: a person attaches one to the conversation (file picker, drag and drop or paste; the page's
 * script posts it here), and the thread shows each message's files ({@code @inboxMedia} in the templates).
 */
@RestController
class InboxAttachments {

    private final Attachments attachments;
    private final MessageSource messages;
    private final MediaProperties limits;

    InboxAttachments(Attachments attachments, MessageSource messages, MediaProperties limits) {
        this.attachments = attachments;
        this.messages = messages;
        this.limits = limits;
    }

    /** Sends the file (the reply box's text as its caption); 201, or a problem the page shows as it is. */
    @PostMapping(path = "/inbox/attachments/{conversationId}", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Map<String, Object>> attach(@AuthenticationPrincipal Caller caller, @PathVariable UUID conversationId,
                                               @RequestParam("file") MultipartFile file,
                                               @RequestParam(name = "caption", required = false) String caption) throws IOException {
        var message = attachments.send(conversationId, caller.userId(), file.getOriginalFilename(), file.getContentType(),
                file.getBytes(), caption);
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("message_id", message.id()));
    }

    @ExceptionHandler(MediaRefused.class)
    ResponseEntity<ProblemDetail> refused(MediaRefused refused) {
        HttpStatus status = HttpStatus.valueOf(refused.httpStatus());
        // the page shows it as it is, in the person's language: what is wrong and what is allowed
        String key = "media.refused." + refused.reason().name().toLowerCase(java.util.Locale.ROOT);
        Object[] args = {limits.maxSize().toMegabytes(), String.join(", ", limits.allowedTypes())};
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
                messages.getMessage(key + ".detail", args, refused.getMessage(), LocaleContextHolder.getLocale()));
        problem.setTitle(messages.getMessage(key, null, LocaleContextHolder.getLocale()));
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** The files of a message, for the thread's template. */
    @Component("inboxMedia")
    static class InboxMedia {

        private final MediaFiles files;

        InboxMedia(MediaFiles files) {
            this.files = files;
        }

        public List<MediaFile> of(UUID messageId) {
            return files.ofMessage(messageId);
        }
    }
}

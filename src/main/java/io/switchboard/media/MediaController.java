package io.switchboard.media;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import io.switchboard.identity.Caller;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.multipart.MultipartFile;

/**
 * Serves media files: {@code /media/{id}} to signed-in people of the file's tenant (row-level security makes
 * another tenant's file a 404), {@code /webhooks/media/{id}} to a provider fetching an outbound attachment with a
 * short-lived signature. Never a provider's own address. Files are served as downloads unless they are images,
 * audio or video, and never sniffed or run as pages.
 */
@RestController
class MediaController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MediaController.class);

    private final MediaFiles files;
    private final Attachments attachments;

    MediaController(MediaFiles files, Attachments attachments) {
        this.files = files;
        this.attachments = attachments;
    }

    /** A file as the API describes it; {@code url} is where a caller with the same access downloads it. */
    record MediaView(UUID id, UUID messageId, String direction, String kind, String contentType, String filename, Long sizeBytes,
                     boolean voice, String status, String error, String understanding, String understandingKind, String url) {
        static MediaView of(MediaFile f) {
            return new MediaView(f.id(), f.messageId(), f.direction(), f.kind(), f.contentType(), f.filename(), f.sizeBytes(),
                    f.voice(), f.status(), f.error(), f.understanding(), f.understandingKind(), "/api/v1/media/" + f.id());
        }
    }

    @GetMapping("/api/v1/messages/{messageId}/media")
    @PreAuthorize("hasRole('AGENT')")
    @Operation(summary = "The files a message carries: kind, type, name, size, download status and the AI's transcript or description")
    java.util.Map<String, java.util.List<MediaView>> ofMessage(@PathVariable UUID messageId) {
        return java.util.Map.of("items", files.ofMessage(messageId).stream().map(MediaView::of).toList());
    }

    @GetMapping("/api/v1/media/{id}")
    @PreAuthorize("hasRole('AGENT')")
    @Operation(summary = "Download a media file of the caller's organization (404 for any other)")
    ResponseEntity<byte[]> apiMedia(@PathVariable UUID id) {
        return media(id);
    }

    @PostMapping(path = "/api/v1/attachments", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasRole('AGENT')")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Send a file to a conversation's customer (multipart: conversation_id, file, optional caption); takes the "
            + "conversation like a reply. "
            + "413 over switchboard.media.max-size, 415 for a type not in switchboard.media.allowed-types")
    java.util.Map<String, Object> attach(@AuthenticationPrincipal Caller caller, @RequestParam("conversation_id") UUID id,
                                         @RequestParam("file") MultipartFile file,
                                         @RequestParam(name = "caption", required = false) String caption) throws java.io.IOException {
        if (caller.userId() == null) {
            throw new io.switchboard.refusal.InvalidInput("an attachment is sent by a person: use a person's API token");
        }
        var message = attachments.send(id, caller.userId(), file.getOriginalFilename(), file.getContentType(), file.getBytes(), caption);
        return java.util.Map.of("message_id", message.id(), "media", files.ofMessage(message.id()).stream().map(MediaView::of).toList());
    }

    @GetMapping("/media/{id}")
    ResponseEntity<byte[]> media(@PathVariable UUID id) {
        MediaFile file = files.find(id).filter(MediaFile::ready)
                .orElseThrow(() -> new io.switchboard.refusal.NotFound("media file " + id + " not found"));
        return serve(file, files.content(id), CacheControl.maxAge(java.time.Duration.ofHours(1)).cachePrivate());
    }

    @GetMapping({"/webhooks/media/{id}", "/webhooks/media/{id}/{name}"})
    ResponseEntity<byte[]> signed(@PathVariable UUID id, @RequestParam(defaultValue = "0") long expires,
                                  @RequestParam(defaultValue = "") String signature) {
        return files.signedContent(id, expires, signature)
                .map(signed -> serve(signed.file(), signed.bytes(), CacheControl.noStore()))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.FORBIDDEN).build());
    }

    private static ResponseEntity<byte[]> serve(MediaFile file, byte[] bytes, CacheControl cache) {
        boolean inline = file.image() || file.audio() || file.video();
        String name = file.filename() != null ? file.filename() : file.kind() + "-" + file.id();
        return ResponseEntity.ok()
                .contentType(file.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM : MediaType.parseMediaType(file.contentType()))
                .contentLength(bytes.length)
                .cacheControl(cache)
                .header(HttpHeaders.CONTENT_DISPOSITION, (inline ? ContentDisposition.inline() : ContentDisposition.attachment())
                        .filename(name, StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .body(bytes);
    }

    /** A refused upload: 413 when too large, 415 for a type not taken, 400 when empty; the detail says what is allowed. */
    static ResponseEntity<ProblemDetail> refusal(MediaRefused refused) {
        HttpStatus status = HttpStatus.valueOf(refused.httpStatus());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, refused.getMessage());
        problem.setTitle("File not accepted");
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(MediaRefused.class)
    ResponseEntity<ProblemDetail> refused(MediaRefused refused) {
        return refusal(refused);
    }

    /** The file store (directory or bucket) failed: 503, its detail (addresses, S3 codes) in the log only. */
    @ExceptionHandler(MediaStorageException.class)
    ResponseEntity<ProblemDetail> storageFailed(MediaStorageException failure) {
        log.warn("Media storage failed: {}", failure.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The file store did not answer as expected; try again in a moment.");
        problem.setTitle("File store unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

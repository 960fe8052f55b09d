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

/**
 * Serves media files: {@code /media/{id}} to signed-in people of the file's tenant (row-level security makes
 * another tenant's file a 404), {@code /webhooks/media/{id}} to a provider fetching an outbound attachment with a
 * short-lived signature. Never a provider's own address. Files are served as downloads unless they are images,
 * audio or video, and never sniffed or run as pages.
 */
@RestController
class MediaController {

    private final MediaFiles files;

    MediaController(MediaFiles files) {
        this.files = files;
    }

    @GetMapping("/media/{id}")
    ResponseEntity<byte[]> media(@PathVariable UUID id) {
        MediaFile file = files.find(id).filter(MediaFile::ready)
                .orElseThrow(() -> new io.switchboard.refusal.NotFound("media file " + id + " not found"));
        return serve(file, files.content(id), CacheControl.maxAge(java.time.Duration.ofHours(1)).cachePrivate());
    }

    @GetMapping("/webhooks/media/{id}")
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
        HttpStatus status = switch (refused.reason()) {
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case TYPE_NOT_ALLOWED -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case EMPTY -> HttpStatus.BAD_REQUEST;
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, refused.getMessage());
        problem.setTitle("File not accepted");
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @ExceptionHandler(MediaRefused.class)
    ResponseEntity<ProblemDetail> refused(MediaRefused refused) {
        return refusal(refused);
    }
}

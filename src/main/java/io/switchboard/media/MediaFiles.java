package io.switchboard.media;

import io.switchboard.database.TenantScope;
import io.switchboard.identity.SecretBox;
import io.switchboard.refusal.NotFound;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The media files of messages: what they are, their bytes, and what the AI understood of them. Reads and writes
 * work in the caller's tenant scope (row-level security keeps tenants apart), except {@link #signedContent}, whose
 * signature is the permission.
 */
@Service
public class MediaFiles {

    static final String COLUMNS = """
            id, organization_id, conversation_id, message_id, direction, kind, content_type, filename, size_bytes, voice,
            status, error, understanding, understanding_kind, created_at""";

    static final RowMapper<MediaFile> ROW = (rs, n) -> new MediaFile(rs.getObject("id", UUID.class),
            rs.getObject("organization_id", UUID.class), rs.getObject("conversation_id", UUID.class),
            rs.getObject("message_id", UUID.class), rs.getString("direction"), rs.getString("kind"), rs.getString("content_type"),
            rs.getString("filename"), (Long) rs.getObject("size_bytes"), rs.getBoolean("voice"), rs.getString("status"),
            rs.getString("error"), rs.getString("understanding"), rs.getString("understanding_kind"),
            rs.getTimestamp("created_at").toInstant());

    private final JdbcClient jdbc;
    private final MediaStorage storage;
    private final MediaProperties properties;
    private final SecretBox secrets;
    private final Clock clock;

    MediaFiles(JdbcClient jdbc, MediaStorage storage, MediaProperties properties, SecretBox secrets, Clock clock) {
        this.jdbc = jdbc;
        this.storage = storage;
        this.properties = properties;
        this.secrets = secrets;
        this.clock = clock;
    }

    public Optional<MediaFile> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from media_files where id = ?").param(id).query(ROW).optional();
    }

    /** The files of one message, in the order the message carries them. */
    public List<MediaFile> ofMessage(UUID messageId) {
        return jdbc.sql("select " + COLUMNS + " from media_files where message_id = ? order by position").param(messageId)
                .query(ROW).list();
    }

    /** The files of several messages (e.g. a turn's history), in message order then position. */
    public List<MediaFile> ofMessages(Collection<UUID> messageIds) {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from media_files where message_id = any(?) order by message_id, position")
                .param(messageIds.toArray(UUID[]::new)).query(ROW).list();
    }

    /** The bytes of a stored file of the current tenant, or 404 (another tenant's file is not found either). */
    public byte[] content(UUID id) {
        MediaFile file = find(id).filter(MediaFile::ready).orElseThrow(() -> new NotFound("media file " + id + " not found"));
        return storage.read(file.organizationId(), file.id());
    }

    /**
     * The type a file a person or a visitor sends is taken as: the bytes' when they say it (a PNG called .jpg is a PNG), else the declared one (guessed from
     * the name when missing or generic). A program, or bytes that are not the image or PDF they claim, are refused.
     */
    public String typeOf(String filename, String declared, byte[] bytes) {
        String type = declared == null || declared.isBlank() || declared.startsWith("application/octet-stream")
                ? org.springframework.http.MediaTypeFactory.getMediaType(filename == null ? "" : filename).map(Object::toString).orElse(declared) : declared;
        if (bytes.length == 0) {
            return type; // refused as empty by the checks that follow, which say so
        }
        String actual = FileSignatures.typeOf(bytes);
        if (FileSignatures.program(bytes)) {
            throw new MediaRefused(MediaRefused.Reason.TYPE_NOT_ALLOWED, "The file is a program (" + actual + "), and programs are "
                    + "not accepted. Accepted: " + String.join(", ", properties.allowedTypes()) + ".");
        }
        if (actual != null) {
            return actual;
        }
        if (FileSignatures.contradicts(type, bytes)) {
            throw new MediaRefused(MediaRefused.Reason.TYPE_NOT_ALLOWED, "The file says it is " + type
                    + " but its content is not; it was not accepted.");
        }
        return type;
    }

    /**
     * Takes a file a person attaches to a conversation: checked against the size and type limits (a
     * {@link MediaRefused} says what is wrong), stored, and kept until {@link #attach} binds it to its message.
     */
    public MediaFile upload(UUID organizationId, UUID conversationId, String filename, String contentType, byte[] bytes) {
        check(contentType, bytes.length);
        UUID id = jdbc.sql("""
                        insert into media_files (organization_id, conversation_id, direction, kind, content_type, filename,
                                                 size_bytes, status)
                        values (?, ?, 'outbound', ?, ?, ?, ?, 'pending') returning id""")
                .params(organizationId, conversationId, MediaFile.kindOf(contentType), MediaProperties.baseType(contentType),
                        cleanName(filename), (long) bytes.length)
                .query(UUID.class).single();
        storage.write(organizationId, id, bytes);
        jdbc.sql("update media_files set status = 'ready', updated_at = now() where id = ?").param(id).update();
        return find(id).orElseThrow();
    }

    /** Binds an uploaded file to the message that carries it. */
    public void attach(UUID mediaId, UUID messageId) {
        jdbc.sql("update media_files set message_id = ?, updated_at = now() where id = ? and message_id is null")
                .params(messageId, mediaId).update();
    }

    /** Stores what the AI understood of a file: a voice note's transcript or an image's description. */
    public void recordUnderstanding(UUID id, String kind, String text) {
        jdbc.sql("update media_files set understanding = ?, understanding_kind = ?, updated_at = now() where id = ?")
                .params(text, kind, id).update();
    }

    /** Refuses what may not be kept; the messages are shown to people as they are. */
    void check(String contentType, long size) {
        if (size <= 0) {
            throw new MediaRefused(MediaRefused.Reason.EMPTY, "The file is empty.");
        }
        if (size > properties.maxSize().toBytes()) {
            throw new MediaRefused(MediaRefused.Reason.TOO_LARGE, "The file is " + megabytes(size) + " MB; the limit is "
                    + megabytes(properties.maxSize().toBytes()) + " MB (switchboard.media.max-size).");
        }
        if (!properties.allows(contentType)) {
            throw new MediaRefused(MediaRefused.Reason.TYPE_NOT_ALLOWED, "Files of type " + (contentType == null ? "(unknown)"
                    : MediaProperties.baseType(contentType)) + " are not accepted. Accepted: " + String.join(", ", properties.allowedTypes()) + ".");
        }
    }

    /**
     * The path (to append to the public URL) where a provider may fetch this file until the signature expires:
     * {@code /webhooks/media/{id}/{name}?expires=…&signature=…}.
     */
    public String signedPath(UUID id) {
        long expires = clock.instant().plus(properties.signedUrlTtl()).getEpochSecond();
        // the file name ends the path: providers (Meta, Evolution) tell a photo from a document by it
        String name = find(id).map(MediaFile::nameWithExtension).orElse("file");
        return "/webhooks/media/" + id + "/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                + "?expires=" + expires + "&signature=" + secrets.sign("media:" + id + ":" + expires);
    }

    /** The file behind a signed path, when the signature is right and not expired. */
    public Optional<Signed> signedContent(UUID id, long expires, String signature) {
        if (expires < clock.instant().getEpochSecond() || !secrets.verify("media:" + id + ":" + expires, signature)) {
            return Optional.empty();
        }
        return TenantScope.asSystem(() -> find(id)).filter(MediaFile::ready)
                .map(file -> new Signed(file, storage.read(file.organizationId(), file.id())));
    }

    /** A file served through a signed path. */
    public record Signed(MediaFile file, byte[] bytes) {
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / (1024.0 * 1024));
    }

    static String cleanName(String filename) {
        if (filename == null || filename.isBlank()) {
            return null;
        }
        // a name, never a path: what a browser or provider shows, nothing it could follow
        String name = filename.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).replaceAll("[\\p{Cntrl}\"]", "").strip();
        return name.isEmpty() ? null : name.length() > 200 ? name.substring(name.length() - 200) : name;
    }
}

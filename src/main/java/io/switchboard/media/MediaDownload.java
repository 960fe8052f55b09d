package io.switchboard.media;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Events;
import io.switchboard.conversation.Message;
import io.switchboard.database.DueJobs;
import io.switchboard.database.TenantScope;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Downloads each inbound file once, as a durable job: a customer message with media gets one row per attachment
 * and one download job per row, both in the transaction that stored the message — so a provider's retry of the
 * webhook (which stores nothing new) downloads nothing, and a crash between storing and downloading loses
 * nothing. Transient failures retry with backoff; a file too large or of a type not taken is refused, not kept.
 * A file that came with the message itself (a web chat visitor's upload, named by {@code media_id}) is only bound.
 */
@Configuration(proxyBeanMethods = false)
class MediaDownload {

    private static final Logger log = LoggerFactory.getLogger(MediaDownload.class);
    static final TaskDescriptor<Order> TASK = TaskDescriptor.of("download-media", Order.class);

    /** One download: the file's row and the attempt. */
    record Order(UUID organizationId, UUID mediaId, int attempt) implements Serializable {
    }

    private final JdbcClient jdbc;
    private final Conversations conversations;
    private final MediaFiles files;
    private final MediaStorage storage;
    private final MediaProperties properties;
    private final Optional<MediaSource> source;
    private final SchedulerClient scheduler;
    private final DueJobs dueJobs;
    private final JsonMapper json;
    private final TransactionTemplate transaction;
    private final Clock clock;

    MediaDownload(JdbcClient jdbc, Conversations conversations, MediaFiles files, MediaStorage storage, MediaProperties properties,
                  Optional<MediaSource> source, @Lazy SchedulerClient scheduler, DueJobs dueJobs, JsonMapper json,
                  TransactionTemplate transaction, Clock clock) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.files = files;
        this.storage = storage;
        this.properties = properties;
        this.source = source;
        this.scheduler = scheduler;
        this.dueJobs = dueJobs;
        this.json = json;
        this.transaction = transaction;
        this.clock = clock;
    }

    @Bean
    OneTimeTask<Order> downloadMediaTask() {
        return Tasks.oneTime(TASK).execute((instance, context) -> download(instance.getData()));
    }

    /** In the transaction that stored the customer message: its files and their downloads exist exactly when it does. */
    @EventListener
    void onCustomerMessage(Events.CustomerMessageReceived received) {
        Message message = conversations.message(received.messageId());
        if (message.media() == null || message.media().isBlank() || message.media().equals("[]")) {
            return;
        }
        JsonNode metadata = message.metadata() == null ? json.missingNode() : json.readTree(message.metadata());
        JsonNode media = json.readTree(message.media());
        int position = 0;
        for (JsonNode item : media) {
            String stored = item.path("media_id").asString(null);
            if (stored != null) {
                // already here (a web chat visitor's upload, stored with the message): bound to it, nothing to download
                jdbc.sql("""
                                update media_files set message_id = ?, position = ?, direction = 'inbound', channel_account_id = ?,
                                                       updated_at = now()
                                where id = ? and message_id is null and conversation_id = ?""")
                        .params(message.id(), position++, message.channelAccountId(), UUID.fromString(stored), message.conversationId())
                        .update();
                continue;
            }
            String contentType = item.path("content_type").asString(null);
            String kind = switch (message.contentType()) {
                case "image", "audio", "video", "document", "sticker" -> media.size() == 1 ? message.contentType() : MediaFile.kindOf(contentType);
                default -> MediaFile.kindOf(contentType);
            };
            Optional<UUID> id = jdbc.sql("""
                            insert into media_files (organization_id, conversation_id, message_id, position, direction,
                                                     channel_account_id, provider_url, provider_media_id, kind, content_type,
                                                     filename, voice)
                            values (?, ?, ?, ?, 'inbound', ?, ?, ?, ?, ?, ?, ?)
                            on conflict (message_id, position) where message_id is not null do nothing returning id""")
                    .params(message.organizationId(), message.conversationId(), message.id(), position++, message.channelAccountId(),
                            item.path("url").asString(null), item.path("provider_media_id").asString(null), kind,
                            MediaProperties.baseType(contentType), MediaFiles.cleanName(metadata.path("fileName").asString(null)),
                            metadata.path("voice").asBoolean(false))
                    .query(UUID.class).optional();
            id.ifPresent(mediaId -> scheduler.scheduleIfNotExists(TASK.instance(mediaId.toString())
                    .data(new Order(message.organizationId(), mediaId, 1)).scheduledTo(clock.instant())));
        }
        dueJobs.checkAfterCommit();
    }

    void download(Order order) {
        TenantScope.run(order.organizationId(), () -> downloadInScope(order));
    }

    private void downloadInScope(Order order) {
        record Row(UUID conversationId, UUID accountId, String url, String providerMediaId, String contentType, String status) {
        }
        Optional<Row> found = jdbc.sql("""
                        select conversation_id, channel_account_id, provider_url, provider_media_id, content_type, status
                        from media_files where id = ?""").param(order.mediaId())
                .query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6))).optional();
        if (found.isEmpty() || !"pending".equals(found.get().status())) {
            return; // gone, or already done by an earlier attempt
        }
        Row row = found.get();
        if (source.isEmpty()) {
            finish(order, "failed", null, null, "no channel can download media");
            return;
        }
        long max = properties.maxSize().toBytes();
        MediaSource.Download download = source.get().fetch(new MediaSource.Origin(order.organizationId(), row.accountId(), row.url(),
                row.providerMediaId(), row.contentType()), max);
        if (download instanceof MediaSource.Fetched fetched) {
            String type = row.contentType() != null ? row.contentType() : MediaProperties.baseType(fetched.contentType());
            try {
                files.check(type, fetched.bytes().length);
            } catch (MediaRefused refused) {
                log.info("Media {} refused: {}", order.mediaId(), refused.getMessage());
                finish(order, "refused", null, null, refused.getMessage());
                return;
            }
            try {
                storage.write(order.organizationId(), order.mediaId(), fetched.bytes());
            } catch (MediaStorageException e) {
                // the storage's failure, not the file's: the provider still has it, so it is fetched again later for as
                // long as the storage refuses (backoff up to 10 minutes), the reason shown on the file meanwhile
                log.warn("Media {} attempt {} could not be stored: {}", order.mediaId(), order.attempt(), e.getMessage());
                retryLater(order, "Could not store the file: " + e.getMessage());
                return;
            }
            if (fetched.filename() != null) {
                jdbc.sql("update media_files set filename = coalesce(filename, ?) where id = ?")
                        .params(MediaFiles.cleanName(fetched.filename()), order.mediaId()).update();
            }
            finish(order, "ready", type, (long) fetched.bytes().length, null);
        } else if (download instanceof MediaSource.TooLarge) {
            finish(order, "refused", null, null,
                    "The file is larger than the limit of " + properties.maxSize().toMegabytes() + " MB (switchboard.media.max-size).");
        } else if (download instanceof MediaSource.Failed failed && failed.retryable() && order.attempt() < properties.downloadMaxAttempts()) {
            log.info("Media {} attempt {} failed ({}); retrying", order.mediaId(), order.attempt(), failed.reason());
            retryLater(order, failed.reason());
        } else if (download instanceof MediaSource.Failed failed) {
            log.warn("Media {} could not be downloaded: {}", order.mediaId(), failed.reason());
            finish(order, "failed", null, null, failed.reason());
        }
    }

    /** The next attempt, after 4 s, 8 s, 16 s… up to 10 minutes; the reason is kept on the file meanwhile. */
    private void retryLater(Order order, String reason) {
        Duration wait = Duration.ofSeconds(Math.min(600, 2L << Math.min(order.attempt(), 9)));
        jdbc.sql("update media_files set attempts = ?, error = ?, updated_at = now() where id = ?")
                .params(order.attempt(), reason, order.mediaId()).update();
        Order next = new Order(order.organizationId(), order.mediaId(), order.attempt() + 1);
        scheduler.schedule(TASK.instance(order.mediaId() + "#" + next.attempt()).data(next).scheduledTo(clock.instant().plus(wait)));
    }

    /** The file's outcome, and a change the inbox sees, in one commit. */
    private void finish(Order order, String status, String contentType, Long size, String error) {
        transaction.executeWithoutResult(tx -> {
            jdbc.sql("""
                            update media_files set status = ?, content_type = coalesce(?, content_type), size_bytes = coalesce(?, size_bytes),
                                   error = ?, attempts = ?, updated_at = now() where id = ?""")
                    .params(status, contentType, size, error, order.attempt(), order.mediaId()).update();
            jdbc.sql("select message_id from media_files where id = ?").param(order.mediaId()).query(UUID.class).optional()
                    .ifPresent(conversations::touchMessage);
        });
    }
}

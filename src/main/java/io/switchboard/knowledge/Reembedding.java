package io.switchboard.knowledge;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.database.DueJobs;
import io.switchboard.database.TenantScope;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * When an organization changes its embedding model, its chunks and memories are embedded again by a durable job:
 * batch after batch, every row whose vector is of another model gets one of the current model. Meanwhile searches
 * compare only vectors of the current model (the rest are found by their words), so models never mix; each batch
 * tells every node to reload the organization's vectors.
 */
@Configuration(proxyBeanMethods = false)
class Reembedding {

    static final TaskDescriptor<Order> TASK = TaskDescriptor.of("knowledge-reembedding", Order.class);
    static final int BATCH = 64;

    record Order(UUID organizationId) implements Serializable {
    }

    private record Row(UUID id, String text) {
    }

    private final JdbcClient jdbc;
    private final TextEmbeddings embeddings;
    private final EmbeddingSettings settings;
    private final VectorIndex vectors;
    private final SchedulerClient scheduler;
    private final DueJobs dueJobs;
    private final TransactionTemplate transaction;

    Reembedding(JdbcClient jdbc, TextEmbeddings embeddings, EmbeddingSettings settings, VectorIndex vectors,
                @Lazy SchedulerClient scheduler, DueJobs dueJobs, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.embeddings = embeddings;
        this.settings = settings;
        this.vectors = vectors;
        this.scheduler = scheduler;
        this.dueJobs = dueJobs;
        this.transaction = transaction;
    }

    @Bean
    OneTimeTask<Order> knowledgeReembeddingTask() {
        return Tasks.oneTime(TASK).execute((instance, context) -> TenantScope.run(instance.getData().organizationId(), this::run));
    }

    /** Saves the organization's embedding settings and, when the model changed, re-embeds everything once committed. */
    EmbeddingSettings.View configure(String baseUrl, String model, String apiKey) {
        return transaction.execute(tx -> {
            String before = embeddings.model();
            settings.update(baseUrl, model, apiKey);
            if (!before.equals(embeddings.model())) {
                UUID organizationId = TenantScope.requireOrganization();
                scheduler.scheduleIfNotExists(TASK.instance(organizationId.toString()).data(new Order(organizationId))
                        .scheduledTo(Instant.now()));
                dueJobs.checkAfterCommit();
                vectors.changed(organizationId);
            }
            return settings.view();
        });
    }

    void run() {
        UUID organizationId = TenantScope.requireOrganization();
        while (batch("knowledge_chunks", "case when section = '' then content else section || E'\\n' || content end")
                | batch("agent_memories", "fact")) {
            vectors.changed(organizationId);
        }
    }

    /** Re-embeds one batch of the table's rows of another model; false when none was left. */
    private boolean batch(String table, String textExpression) {
        String model = embeddings.model();
        List<Row> rows = jdbc.sql("select id, " + textExpression + " from " + table
                        + " where embedding_model is distinct from ? order by id limit ?")
                .params(model, BATCH).query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getString(2))).list();
        if (rows.isEmpty()) {
            return false;
        }
        List<float[]> embedded = embeddings.embedAll(rows.stream().map(Row::text).toList());
        transaction.executeWithoutResult(tx -> {
            for (int i = 0; i < rows.size(); i++) {
                jdbc.sql("update " + table + " set embedding = ?, embedding_model = ? where id = ?")
                        .params(embedded.get(i), model, rows.get(i).id()).update();
            }
        });
        return true;
    }
}

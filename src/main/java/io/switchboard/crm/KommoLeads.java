package io.switchboard.crm;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.database.ClusterRateLimits;
import io.switchboard.outbound.OutboundGuard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads leads from Kommo ({@code GET /api/v4/leads/{id}}) the way a message path can afford: a 2 s timeout,
 * at most 7 requests per second per organization (Kommo answers 429 beyond), and a short cache so a burst
 * of customer messages costs one read. Concurrent reads of the same lead share one request. Never throws:
 * every failure is a {@link LeadRead.Unreachable} and counts in {@code switchboard.crm.failures}.
 */
@Component
class KommoLeads {

    private static final Logger log = LoggerFactory.getLogger(KommoLeads.class);

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final double REQUESTS_PER_SECOND = 7;
    /** How long a caller may wait for a permit before the read counts as failed. */
    static final Duration MAX_PERMIT_WAIT = Duration.ofSeconds(1);
    static final Duration ANSWER_TTL = Duration.ofSeconds(10);
    /** Shorter, so a recovered Kommo is used again soon, yet a burst during an outage does not pile up timeouts. */
    static final Duration FAILURE_TTL = Duration.ofSeconds(2);
    private static final int CACHE_SWEEP_SIZE = 10_000;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    // Kommo's limit is per account, whichever node asks: counted in PostgreSQL, shared by every node
    private final ClusterRateLimits rateLimits;
    private final ClusterRateLimits.Limit kommoLimit;
    private final ConcurrentHashMap<Key, CompletableFuture<TimedRead>> cache = new ConcurrentHashMap<>();
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Clock clock;

    private final OutboundGuard guard;

    KommoLeads(JsonMapper json, MeterRegistry meters, Clock clock, OutboundGuard guard, ClusterRateLimits rateLimits) {
        this.guard = guard;
        this.rateLimits = rateLimits;
        this.kommoLimit = rateLimits.limit("kommo", (int) REQUESTS_PER_SECOND + "/1s");
        this.json = json;
        this.meters = meters;
        this.clock = clock;
    }

    private record Key(UUID organizationId, long leadId) {
    }

    private record TimedRead(LeadRead read, Instant readAt) {
    }

    /** The lead as Kommo reports it, from the cache when read moments ago. */
    LeadRead read(KommoConnection connection, long leadId) {
        Key key = new Key(connection.organizationId(), leadId);
        CompletableFuture<TimedRead> mine = new CompletableFuture<>();
        CompletableFuture<TimedRead> shared = cache.compute(key, (k, cached) -> cached != null && usable(cached) ? cached : mine);
        if (shared != mine) {
            return await(shared, leadId);
        }
        LeadRead read;
        try {
            read = fetch(connection, leadId);
        } catch (RuntimeException e) {
            // the shared future must complete whatever happens, or later readers would wait on it forever
            read = failed(connection, leadId, "unexpected", e);
        }
        mine.complete(new TimedRead(read, clock.instant()));
        if (cache.size() > CACHE_SWEEP_SIZE) {
            cache.values().removeIf(cached -> !usable(cached));
        }
        return read;
    }

    /** The lead as Kommo reports it now, bypassing (and refreshing) the cache; for webhooks saying it moved. */
    LeadRead readFresh(KommoConnection connection, long leadId) {
        forget(connection.organizationId(), leadId);
        return read(connection, leadId);
    }

    void forget(UUID organizationId, long leadId) {
        cache.remove(new Key(organizationId, leadId));
    }

    /** Drops every cached lead of an organization (its connection changed). */
    void forgetOrganization(UUID organizationId) {
        cache.keySet().removeIf(key -> key.organizationId().equals(organizationId));
    }

    private boolean usable(CompletableFuture<TimedRead> cached) {
        if (!cached.isDone()) {
            return true; // in flight: join it instead of sending a second request
        }
        TimedRead done = cached.join();
        Duration ttl = done.read() instanceof LeadRead.Unreachable ? FAILURE_TTL : ANSWER_TTL;
        return done.readAt().plus(ttl).isAfter(clock.instant());
    }

    private LeadRead await(CompletableFuture<TimedRead> shared, long leadId) {
        try {
            return shared.get(TIMEOUT.plus(MAX_PERMIT_WAIT).plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS).read();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new LeadRead.Unreachable(leadId, "interrupted");
        } catch (ExecutionException | TimeoutException e) {
            return new LeadRead.Unreachable(leadId, "timeout");
        }
    }

    private LeadRead fetch(KommoConnection connection, long leadId) {
        if (!rateLimits.acquire(kommoLimit, connection.organizationId().toString(), MAX_PERMIT_WAIT)) {
            return failed(connection, leadId, "rate_limited_locally", null);
        }
        if (guard.refusal(connection.baseUrl()).isPresent()) {
            return failed(connection, leadId, "refused_address", null);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(connection.baseUrl() + "/api/v4/leads/" + leadId))
                    .timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + connection.token())
                    .header("Accept", "application/json")
                    .GET().build();
        } catch (IllegalArgumentException e) {
            return failed(connection, leadId, "invalid_base_url", e);
        }
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200) {
                return parse(connection, leadId, response.body());
            }
            if (status == 204 || status == 404) {
                // Kommo answers 204 No Content for an id it does not know
                return new LeadRead.Missing(leadId, "not_found");
            }
            String reason = status == 429 ? "rate_limited" : status >= 500 ? "server_error"
                    : status == 401 || status == 403 ? "unauthorized" : "http_" + status;
            return failed(connection, leadId, reason, null);
        } catch (HttpTimeoutException e) {
            return failed(connection, leadId, "timeout", null);
        } catch (IOException e) {
            return failed(connection, leadId, "network", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(connection, leadId, "interrupted", null);
        }
    }

    /** A Kommo pipeline and its stages (statuses), as the connection page offers them for the handoff stage. */
    record Pipeline(long id, String name, java.util.List<StageChoice> stages) {
    }

    record StageChoice(long id, String name) {
    }

    /**
     * The account's pipelines and stages ({@code GET /api/v4/leads/pipelines}): the connection test, and the real stages
     * the handoff stage is picked from. Throws {@link IllegalStateException} saying what went wrong.
     */
    java.util.List<Pipeline> pipelines(KommoConnection connection) {
        guard.refusal(connection.baseUrl()).ifPresent(refusal -> {
            throw new IllegalStateException(refusal);
        });
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(connection.baseUrl() + "/api/v4/leads/pipelines"))
                    .timeout(TIMEOUT).header("Authorization", "Bearer " + connection.token()).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("Kommo could not be reached: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new IllegalStateException("Kommo refused the token (HTTP " + response.statusCode() + ")");
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Kommo answered HTTP " + response.statusCode());
        }
        java.util.List<Pipeline> pipelines = new java.util.ArrayList<>();
        for (JsonNode pipeline : json.readTree(response.body()).path("_embedded").path("pipelines")) {
            java.util.List<StageChoice> stages = new java.util.ArrayList<>();
            for (JsonNode status : pipeline.path("_embedded").path("statuses")) {
                stages.add(new StageChoice(status.path("id").asLong(), status.path("name").asString()));
            }
            pipelines.add(new Pipeline(pipeline.path("id").asLong(), pipeline.path("name").asString(), stages));
        }
        return pipelines;
    }

    /** How long a phone Kommo had no lead for is not searched again (a new lead is found after this at the latest). */
    static final Duration NO_LEAD_TTL = Duration.ofMinutes(10);
    private final ConcurrentHashMap<String, Instant> searchedWithoutLead = new ConcurrentHashMap<>();

    /**
     * The lead of the Kommo contact with this phone ({@code GET /api/v4/contacts?query=<digits>&with=leads}), the
     * most recently created one when the contact has several. Empty when Kommo knows none, or cannot be reached now;
     * a phone without a lead is not searched again for {@link #NO_LEAD_TTL}.
     */
    Optional<Long> findLeadByPhone(KommoConnection connection, String phone) {
        String digits = phone == null ? "" : phone.replaceAll("\\D", "");
        return digits.length() < 8 ? Optional.empty() : findLead(connection, digits);
    }

    /** Like {@link #findLeadByPhone}, by the contact's e-mail. */
    Optional<Long> findLeadByEmail(KommoConnection connection, String email) {
        String address = email == null ? "" : email.strip().toLowerCase(java.util.Locale.ROOT);
        return address.matches("[^@\\s]+@[^@\\s]+") ? findLead(connection, address) : Optional.empty();
    }

    private Optional<Long> findLead(KommoConnection connection, String query) {
        String key = connection.organizationId() + ":" + query;
        Instant searched = searchedWithoutLead.get(key);
        if (searched != null && searched.plus(NO_LEAD_TTL).isAfter(clock.instant())) {
            return Optional.empty();
        }
        if (!rateLimits.acquire(kommoLimit, connection.organizationId().toString(), MAX_PERMIT_WAIT) || guard.refusal(connection.baseUrl()).isPresent()) {
            return Optional.empty();
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(connection.baseUrl() + "/api/v4/contacts?with=leads&query="
                            + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8)))
                    .timeout(TIMEOUT).header("Authorization", "Bearer " + connection.token()).header("Accept", "application/json")
                    .GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Optional<Long> lead = Optional.empty();
            if (response.statusCode() == 200) {
                long best = -1;
                for (JsonNode contact : json.readTree(response.body()).path("_embedded").path("contacts")) {
                    for (JsonNode found : contact.path("_embedded").path("leads")) {
                        best = Math.max(best, found.path("id").asLong(-1));
                    }
                }
                lead = best > 0 ? Optional.of(best) : Optional.empty();
            } else if (response.statusCode() != 204 && response.statusCode() != 404) {
                meters.counter("switchboard.crm.failures", "provider", "kommo", "reason", "search_http_" + response.statusCode()).increment();
                return Optional.empty(); // a failure is not "no lead": search again next time
            }
            if (lead.isEmpty()) {
                searchedWithoutLead.put(key, clock.instant());
            }
            return lead;
        } catch (IOException | IllegalArgumentException | JacksonException e) {
            meters.counter("switchboard.crm.failures", "provider", "kommo", "reason", "search").increment();
            log.warn("Kommo contact search of organization {} failed: {}", connection.organizationId(), e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private LeadRead parse(KommoConnection connection, long leadId, String body) {
        try {
            JsonNode lead = json.readTree(body);
            if (lead.path("is_deleted").asBoolean(false)) {
                return new LeadRead.Missing(leadId, "deleted");
            }
            JsonNode status = lead.path("status_id");
            if (!status.isNumber()) {
                return failed(connection, leadId, "invalid_response", null);
            }
            JsonNode pipeline = lead.path("pipeline_id");
            return new LeadRead.Found(leadId, status.asLong(), pipeline.isNumber() ? pipeline.asLong() : null);
        } catch (JacksonException e) {
            return failed(connection, leadId, "invalid_response", null);
        }
    }

    private LeadRead.Unreachable failed(KommoConnection connection, long leadId, String reason, Exception cause) {
        meters.counter("switchboard.crm.failures", "provider", "kommo", "reason", reason).increment();
        log.warn("Kommo lead {} of organization {} could not be read: {}{}", leadId, connection.organizationId(), reason,
                cause == null ? "" : " (" + cause + ")");
        return new LeadRead.Unreachable(leadId, reason);
    }
}

package io.switchboard.crm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.switchboard.database.TenantScope;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The organization's Kommo connection (ADMIN). The token is write-only; the webhook secret is shown once,
 * in the answer of the save that generated it, inside the webhook URL to paste into Kommo.
 */
@RestController
@RequestMapping("/api/v1/crm/kommo")
@PreAuthorize("hasRole('ADMIN')")
class KommoConnectionApi {

    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final KommoConnections connections;
    private final KommoLeads leads;
    private final String publicUrl;

    KommoConnectionApi(KommoConnections connections, KommoLeads leads,
                       @Value("${switchboard.public-url:}") String publicUrl) {
        this.connections = connections;
        this.leads = leads;
        this.publicUrl = publicUrl;
    }

    record ConnectionRequest(String baseUrl, String subdomain, String token, Long handoffStageId, Long pipelineId,
                             Boolean rotateWebhookSecret) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ConnectionView(String provider, String baseUrl, Long handoffStageId, Long pipelineId, boolean tokenSet,
                          String webhookUrl, String webhookSecret, String note, Instant updatedAt) {
    }

    @GetMapping
    ConnectionView get(HttpServletRequest request) {
        KommoConnections.Described described = connections.describe().orElseThrow(() -> new ResponseStatusException(
                HttpStatus.NOT_FOUND, "Kommo is not connected: PUT /api/v1/crm/kommo with base_url, token and handoff_stage_id"));
        return view(described, null, request);
    }

    @PutMapping
    ConnectionView put(@RequestBody ConnectionRequest body, HttpServletRequest request) {
        boolean exists = connections.describe().isPresent();
        List<String> problems = new ArrayList<>();
        String baseUrl = baseUrl(body, problems);
        String token = body.token() == null || body.token().isBlank() ? null : body.token().trim();
        if (token == null && !exists) {
            problems.add("token is required: a Kommo long-lived access token (Kommo > Settings > Integrations)");
        }
        if (body.handoffStageId() == null) {
            problems.add("handoff_stage_id is required: the Kommo status_id of the stage where a salesperson has the lead");
        } else if (body.handoffStageId() <= 0) {
            problems.add("handoff_stage_id must be a positive Kommo status_id");
        }
        if (body.pipelineId() != null && body.pipelineId() <= 0) {
            problems.add("pipeline_id must be a positive Kommo pipeline id, or left out");
        }
        if (!problems.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, String.join("; ", problems));
        }
        KommoConnections.Saved saved = connections.save(new KommoConnections.Draft(baseUrl, token, body.handoffStageId(),
                body.pipelineId(), Boolean.TRUE.equals(body.rotateWebhookSecret())));
        // a new account, token or stage makes every cached read meaningless
        leads.forgetOrganization(TenantScope.requireOrganization());
        return view(saved.connection(), saved.newWebhookSecret(), request);
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete() {
        if (!connections.delete()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "Kommo is not connected");
        }
        leads.forgetOrganization(TenantScope.requireOrganization());
    }

    private static String baseUrl(ConnectionRequest body, List<String> problems) {
        if (body.baseUrl() != null && !body.baseUrl().isBlank()) {
            String url = body.baseUrl().trim().replaceAll("/+$", "");
            try {
                URI uri = URI.create(url);
                if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null) {
                    return url;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            problems.add("base_url must be an http(s) URL such as https://acme.kommo.com");
            return null;
        }
        if (body.subdomain() != null && !body.subdomain().isBlank()) {
            String subdomain = body.subdomain().trim().toLowerCase();
            if (SUBDOMAIN.matcher(subdomain).matches()) {
                return "https://" + subdomain + ".kommo.com";
            }
            problems.add("subdomain must be the account's Kommo subdomain, e.g. acme for acme.kommo.com");
            return null;
        }
        problems.add("base_url (e.g. https://acme.kommo.com) or subdomain (e.g. acme) is required");
        return null;
    }

    private ConnectionView view(KommoConnections.Described described, String newSecret, HttpServletRequest request) {
        String base = publicUrl != null && !publicUrl.isBlank() ? publicUrl.replaceAll("/+$", "")
                : ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).build().toUriString().replaceAll("/+$", "");
        String webhookUrl = base + "/webhooks/kommo/" + (newSecret != null ? newSecret : "<webhook_secret>");
        String note = newSecret != null
                ? "Paste webhook_url into Kommo (Settings > Integrations > Webhooks, event: lead status changed). "
                  + "The secret is shown only now; save again with rotate_webhook_secret=true to get a new one."
                : null;
        return new ConnectionView("kommo", described.baseUrl(), described.handoffStageId(), described.pipelineId(),
                described.tokenSet(), webhookUrl, newSecret, note, described.updatedAt());
    }
}

package io.switchboard.identity;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Problem documents (RFC 9457) written straight to the response, for refusals made in filters before any
 * controller runs: 401 and 403 for the API, 429 from the rate limits, 4xx from the web edge's request guard.
 */
public final class ProblemResponses {

    private final JsonMapper json;

    public ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    AuthenticationEntryPoint unauthorized() {
        return (request, response, e) -> write(response, 401, "Unauthorized",
                "Authentication required: send 'Authorization: Bearer <API token>' or sign in.", request.getRequestURI());
    }

    AccessDeniedHandler forbidden() {
        return (request, response, e) -> {
            if (e instanceof org.springframework.security.web.csrf.CsrfException) {
                write(response, 403, "Forbidden", "The CSRF token is missing or invalid: a call made with the session "
                        + "cookie must send the page's X-CSRF-TOKEN header (or use a bearer token).", request.getRequestURI());
            } else {
                write(response, 403, "Forbidden", "Your role does not allow this action.", request.getRequestURI());
            }
        };
    }

    void tooManyRequests(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response,
                         long retryAfterSeconds, String detail) throws IOException {
        response.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        write(response, 429, "Too many requests", detail, request.getRequestURI());
    }

    public void write(HttpServletResponse response, int status, String title, String detail, String instance)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        response.setStatus(status);
        response.setCharacterEncoding("UTF-8");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write(json.writeValueAsString(body));
    }
}

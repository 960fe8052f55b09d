package io.switchboard.identity;

import io.switchboard.database.ClusterRateLimits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <token>}; a token that is presented but unknown is a 401. Wrong
 * tokens are counted per client address (guessing stops with 429), and each token has its own request budget.
 */
final class ApiTokenAuthenticationFilter extends OncePerRequestFilter {

    private final ApiTokens tokens;
    private final ProblemResponses problems;
    private final ClusterRateLimits limits;
    private final ClusterRateLimits.Limit failuresPerAddress;
    private final ClusterRateLimits.Limit requestsPerToken;

    ApiTokenAuthenticationFilter(ApiTokens tokens, ProblemResponses problems, ClusterRateLimits limits) {
        this.tokens = tokens;
        this.problems = problems;
        this.limits = limits;
        this.failuresPerAddress = limits.limit("bearer-failures-per-ip", "30/5m");
        this.requestsPerToken = limits.limit("api-per-token", "600/1m");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        String value = header.substring(7).trim();
        var caller = tokens.authenticate(value);
        if (caller.isEmpty()) {
            var verdict = limits.consume(failuresPerAddress, request.getRemoteAddr());
            if (!verdict.allowed()) {
                problems.tooManyRequests(request, response, verdict.retryAfterSeconds(),
                        "Too many requests with unknown API tokens from this address; wait before trying again.");
                return;
            }
            problems.unauthorized().commence(request, response, new BadCredentialsException("unknown or revoked API token"));
            return;
        }
        var budget = limits.consume(requestsPerToken, ApiTokens.hash(value));
        if (!budget.allowed()) {
            problems.tooManyRequests(request, response, budget.retryAfterSeconds(),
                    "This API token made too many requests; slow down and retry after the Retry-After seconds.");
            return;
        }
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(caller.get(), null, caller.get().getAuthorities()));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }
}

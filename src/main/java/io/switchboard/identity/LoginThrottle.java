package io.switchboard.identity;

import io.switchboard.database.ClusterRateLimits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sign-in attempts are counted per account and per client address, cluster-wide; a successful one is given
 * back, so only guessing uses the allowance up. Past it, even the right password is refused (429) until the
 * bucket refills: a guesser cannot tell the right one from the rest.
 */
final class LoginThrottle extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final ClusterRateLimits limits;
    private final ProblemResponses problems;
    private final ClusterRateLimits.Limit perAccount;
    private final ClusterRateLimits.Limit perAddress;

    LoginThrottle(ClusterRateLimits limits, ProblemResponses problems) {
        this.limits = limits;
        this.problems = problems;
        this.perAccount = limits.limit("login-per-account", "10/15m");
        this.perAddress = limits.limit("login-per-ip", "50/15m");
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String account = String.valueOf(request.getParameter("username")).strip().toLowerCase(Locale.ROOT);
        String address = request.getRemoteAddr();
        var byAddress = limits.consume(perAddress, address);
        var byAccount = byAddress.allowed() ? limits.consume(perAccount, account) : byAddress;
        if (!byAddress.allowed() || !byAccount.allowed()) {
            log.info("Sign-in throttled for {} from {}", account, address);
            problems.tooManyRequests(request, response, byAccount.retryAfterSeconds(),
                    "Too many sign-in attempts; wait before trying again.");
            return;
        }
        chain.doFilter(request, response);
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        // a right password that opened accounts in several organizations is a success too (the choice follows)
        if (authentication != null && authentication.getPrincipal() instanceof Caller
                || request.getAttribute(OrganizationChoice.CHOICE_OFFERED) != null) {
            limits.refund(perAddress, address);
            limits.refund(perAccount, account);
        }
    }
}

package io.switchboard.identity;

import io.switchboard.database.TenantScope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.stereotype.Component;

/**
 * The step after a password that opens accounts in several organizations: the accounts are kept in the session
 * for a few minutes (their ids only, never the password), the person picks an organization, and the session is
 * signed in as that account — checked again as it is now, and with a new session id.
 */
@Component
public class OrganizationChoice implements AuthenticationFailureHandler {

    /** Where the choice is offered. */
    public static final String PAGE = "/login/organization";

    private static final String PENDING = OrganizationChoice.class.getName() + ".pending";
    /** Set on the sign-in request whose password was right but opened several organizations (a success to the throttle). */
    static final String CHOICE_OFFERED = OrganizationChoice.class.getName() + ".offered";
    private static final Duration VALID_FOR = Duration.ofMinutes(5);

    /** An organization the person may sign in to. */
    public record Option(UUID organizationId, String organizationName) {
    }

    private record Pending(List<UUID> userIds, Instant until) implements Serializable {
    }

    private final Users users;
    private final Organizations organizations;
    private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    private final CsrfAuthenticationStrategy csrf = new CsrfAuthenticationStrategy(new HttpSessionCsrfTokenRepository());

    OrganizationChoice(Users users, Organizations organizations) {
        this.users = users;
        this.organizations = organizations;
    }

    /** The sign-in form's failures: several organizations lead to the choice, anything else back to the form. */
    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        if (failure instanceof EmailPasswordSignIn.SeveralOrganizations several) {
            request.setAttribute(CHOICE_OFFERED, Boolean.TRUE);
            request.getSession().setAttribute(PENDING, new Pending(several.accounts().stream().map(Caller::userId).toList(),
                    Instant.now().plus(VALID_FOR)));
            response.sendRedirect(request.getContextPath() + PAGE);
            return;
        }
        response.sendRedirect(request.getContextPath() + "/login?error");
    }

    /** The organizations offered to this browser, empty when there is no choice pending (or it expired). */
    public List<Option> options(HttpServletRequest request) {
        return pending(request).map(p -> p.userIds().stream().map(users::signInAs).flatMap(Optional::stream)
                .filter(Caller::isEnabled)
                .map(c -> new Option(c.organizationId(), TenantScope.asSystem(() -> organizations.find(c.organizationId()))
                        .map(Organization::name).orElse("")))
                .toList()).orElse(List.of());
    }

    /** Signs the session in to the chosen organization's account; false when it was not among those offered. */
    public boolean choose(HttpServletRequest request, HttpServletResponse response, UUID organizationId) {
        Optional<Caller> chosen = pending(request).flatMap(p -> p.userIds().stream().map(users::signInAs).flatMap(Optional::stream)
                .filter(c -> c.organizationId().equals(organizationId) && c.isEnabled()).findFirst());
        if (chosen.isEmpty()) {
            return false;
        }
        request.getSession().removeAttribute(PENDING);
        request.changeSessionId(); // a new id for the signed-in session, as the form login does
        Authentication authentication = EmailPasswordSignIn.signedIn(chosen.get());
        csrf.onAuthentication(authentication, request, response); // and a new CSRF token, as the form login does
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return true;
    }

    private static Optional<Pending> pending(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(PENDING) instanceof Pending pending)) {
            return Optional.empty();
        }
        if (pending.until().isBefore(Instant.now())) {
            session.removeAttribute(PENDING);
            return Optional.empty();
        }
        return Optional.of(pending);
    }
}

package io.switchboard.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A browser session is only as good as its person is now: on every request the session's user is read again
 * (one indexed row), so a role change applies at once, and a deactivated person, a suspended organization or
 * "sign out everywhere" ends the session on its next request instead of whenever it would have expired.
 */
final class SessionFollowsUser extends OncePerRequestFilter {

    private final Users users;

    SessionFollowsUser(Users users) {
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller session
                && session.kind() == Caller.Kind.SESSION) {
            var current = users.current(session);
            var context = SecurityContextHolder.createEmptyContext();
            if (current.isPresent()) {
                Caller now = current.get();
                now.eraseCredentials();
                context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(now, null, now.getAuthorities()));
            } else {
                HttpSession httpSession = request.getSession(false);
                if (httpSession != null) {
                    httpSession.invalidate();
                }
            }
            SecurityContextHolder.setContext(context);
        }
        chain.doFilter(request, response);
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }
}

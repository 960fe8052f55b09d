package io.switchboard.web;

import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.NotFound;
import io.switchboard.refusal.RateLimited;
import io.switchboard.refusal.Refusal;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * A refusal that reaches a page (another organization's conversation, an agent that was deleted) is shown as
 * the error page of its status, not as a server error. Only this package's page controllers: the
 * API's refusals are answered by {@link ApiProblems}.
 */
@ControllerAdvice(basePackageClasses = PageRefusals.class)
class PageRefusals {

    @ExceptionHandler(Refusal.class)
    void refused(Refusal e, HttpServletResponse response) throws IOException {
        response.sendError(statusOf(e).value(), e.getMessage());
    }

    /** The HTTP status of a refusal, for pages and the API alike. */
    static HttpStatus statusOf(Refusal e) {
        return e instanceof NotFound ? HttpStatus.NOT_FOUND : e instanceof Conflict ? HttpStatus.CONFLICT
                : e instanceof RateLimited ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.BAD_REQUEST;
    }
}

package io.switchboard.web;

import io.switchboard.identity.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first thing every request meets, before security and before any body is read: a body larger than its
 * route allows is refused with 413 (by its declared length at once, or as soon as a streamed body passes the
 * limit); a Content-Type that is no media type, a multipart body outside the few addresses that take uploads
 * ({@code switchboard.upload-paths}) or a form that cannot be parsed is a 415/400 problem document, never a 500.
 */
final class RequestGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestGuard.class);

    /**
     * Body limits by path prefix, the longest matching prefix wins, e.g.
     * {@code switchboard.body-limits.[/webhooks/]=1MB}. A {@code *} in a prefix stands for one path segment
     * ({@code /webchat/*}{@code /attachments}: any account's web chat uploads), in upload paths too.
     */
    @ConfigurationProperties("switchboard")
    record BodyLimits(Map<String, DataSize> bodyLimits, List<String> uploadPaths) {
        BodyLimits {
            bodyLimits = bodyLimits == null ? Map.of() : bodyLimits;
            uploadPaths = uploadPaths == null ? List.of() : uploadPaths;
        }

        /**
         * These limits with every upload address taking at least {@code largestFile} plus 1 MB for the multipart
         * framing and a caption: raising {@code switchboard.media.max-size} must not leave a 413 at the door.
         */
        BodyLimits takingFilesOf(DataSize largestFile) {
            DataSize floor = DataSize.ofBytes(largestFile.toBytes() + DataSize.ofMegabytes(1).toBytes());
            Map<String, DataSize> raised = new java.util.HashMap<>(bodyLimits);
            for (String uploadPath : uploadPaths) {
                DataSize current = forPath(uploadPath.replace("*", "x"));
                if (current == null || current.compareTo(floor) < 0) {
                    raised.put(uploadPath, floor);
                }
            }
            return new BodyLimits(raised, uploadPaths);
        }

        boolean takesUploads(String path) {
            return uploadPaths.stream().anyMatch(prefix -> startsWith(path, prefix));
        }

        DataSize forPath(String path) {
            return bodyLimits.entrySet().stream().filter(e -> startsWith(path, e.getKey()))
                    .max(Comparator.comparingInt(e -> e.getKey().length())).map(Map.Entry::getValue).orElse(null);
        }

        /** Whether the path starts with the prefix, each {@code *} of the prefix matching one whole segment. */
        static boolean startsWith(String path, String prefix) {
            int star = prefix.indexOf('*');
            if (star < 0) {
                return path.startsWith(prefix);
            }
            if (!path.startsWith(prefix.substring(0, star))) {
                return false;
            }
            int end = path.indexOf('/', star);
            if (end < 0 && star == prefix.length() - 1) {
                return path.length() > star; // a trailing star: any last segment
            }
            if (end <= star) {
                return false; // no segment, or the path ends inside the one the star stands for
            }
            return startsWith(path.substring(end), prefix.substring(star + 1));
        }
    }

    private final BodyLimits limits;
    private final ProblemResponses problems;

    RequestGuard(BodyLimits limits, ProblemResponses problems) {
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        DataSize limit = limits.forPath(path);
        if (limit != null && request.getContentLengthLong() > limit.toBytes()) {
            refuse(request, response, 413, "Content too large", "The request body is larger than the "
                    + limit.toKilobytes() + " KB this address accepts.");
            return;
        }
        String contentType = request.getContentType();
        if (contentType != null && !contentType.isBlank()) {
            MediaType type;
            try {
                type = MediaType.parseMediaType(contentType);
            } catch (RuntimeException e) {
                type = null;
            }
            if (type == null || type.isWildcardType() || type.isWildcardSubtype()) {
                refuse(request, response, 415, "Unsupported media type", "The Content-Type '" + printable(contentType)
                        + "' is not a media type this server reads; send application/json or a URL-encoded form.");
                return;
            }
            if ("multipart".equals(type.getType()) && !limits.takesUploads(path)) {
                // only the upload addresses take multipart: refuse before Tomcat parses parts
                refuse(request, response, 415, "Unsupported media type",
                        "This address accepts JSON or a URL-encoded form, not multipart bodies.");
                return;
            }
            if (MediaType.APPLICATION_FORM_URLENCODED.includes(type)) {
                try {
                    request.getParameterMap(); // parsed here, so a broken form is a clean 400 and not a 500 later
                } catch (RuntimeException e) {
                    log.debug("Unreadable form on {}: {}", path, e.toString());
                    refuse(request, response, 400, "Malformed request", "The form body could not be read (bad %-escapes, "
                            + "an unknown charset or more than the size limit).");
                    return;
                }
            }
        }
        HttpServletRequest guarded = limit == null ? request : new LimitedBody(request, limit.toBytes());
        try {
            chain.doFilter(guarded, response);
        } catch (BodyTooLarge e) {
            if (!response.isCommitted()) {
                response.reset();
                refuse(request, response, 413, "Content too large", "The request body is larger than the "
                        + limit.toKilobytes() + " KB this address accepts.");
            }
        } catch (ServletException | RuntimeException e) {
            if (causedBy(e, BodyTooLarge.class) && !response.isCommitted()) {
                response.reset();
                refuse(request, response, 413, "Content too large", "The request body is larger than the "
                        + limit.toKilobytes() + " KB this address accepts.");
                return;
            }
            // the pool had no connection for a filter before any controller (API token sign-in): a 503 the client
            // retries, as ApiProblems answers for controllers — not a 500 after the whole wait
            if (causedBy(e, org.springframework.jdbc.CannotGetJdbcConnectionException.class) && !response.isCommitted()) {
                response.reset();
                log.warn("Answered 503 before the controller, the database is saturated: {}", path);
                response.setHeader("Retry-After", "5");
                problems.write(response, 503, "Service unavailable", "The server is busy right now; retry in a few seconds.",
                        request.getRequestURI());
                return;
            }
            // Spring Security's firewall checks parameter names lazily, when something first reads them
            if (causedBy(e, RequestRejectedException.class) && !response.isCommitted()) {
                response.reset();
                refuse(request, response, 400, "Malformed request", "The request has characters this server does not accept "
                        + "in its parameter names or path.");
                return;
            }
            throw e;
        }
    }

    private static String printable(String text) {
        String visible = text.replaceAll("[^\\x20-\\x7e]", "?");
        return visible.length() > 100 ? visible.substring(0, 100) + "…" : visible;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        // the rest of an oversized body is not read: the connection closes instead of draining it
        response.setHeader("Connection", "close");
        problems.write(response, status, title, detail, request.getRequestURI());
    }

    /** Raised while a streamed body passes its limit. */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("request body over its limit");
        }
    }

    /** Counts what the application reads and stops at the limit (a chunked body declares no length). */
    private static final class LimitedBody extends HttpServletRequestWrapper {

        private final long limit;
        private ServletInputStream stream;

        LimitedBody(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void count(int n) throws IOException {
                        read += n;
                        if (read > limit) {
                            throw new BodyTooLarge();
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}

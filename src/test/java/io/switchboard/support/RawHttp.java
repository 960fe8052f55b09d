package io.switchboard.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, for bodies the server refuses before reading them. The server answers 413 and closes
 * the connection; a client still pushing the rest of the body (the JDK's) may then see a broken pipe instead of the
 * answer. Here the body is not sent at all (its length only declared), or sent in chunks only until the server answers.
 */
public final class RawHttp {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^Content-Length: *(\\d+)");
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");

    /** What the server wrote back, as text. */
    public record Answer(String text) {
        public int status() {
            var status = STATUS.matcher(text);
            if (!status.find()) {
                throw new IllegalStateException("no HTTP answer: " + text);
            }
            return Integer.parseInt(status.group(1));
        }

        public String headers() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        }

        public String body() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4);
        }
    }

    private RawHttp() {
    }

    /** Sends a POST's headers declaring {@code declaredLength} bytes of body, and none of the body. */
    public static Answer postDeclaring(URI base, String path, long declaredLength, Map<String, String> headers) throws IOException {
        return exchange(base, path, "Content-Length: " + declaredLength, headers, 0);
    }

    /** Sends a chunked POST of up to {@code bytes} bytes of 'a', stopping as soon as the server answers or closes. */
    public static Answer postStreaming(URI base, String path, int bytes, Map<String, String> headers) throws IOException {
        return exchange(base, path, "Transfer-Encoding: chunked", headers, bytes);
    }

    private static Answer exchange(URI base, String path, String framing, Map<String, String> headers, int streamed)
            throws IOException {
        try (var socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append(framing).append("\r\nConnection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            stream(out, in, streamed);
            return new Answer(readAnswer(in));
        }
    }

    private static void stream(OutputStream out, InputStream in, int bytes) throws IOException {
        int chunkSize = 0x10000;
        byte[] chunk = ("10000\r\n" + "a".repeat(chunkSize) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            for (int sent = 0; sent < bytes && in.available() == 0; sent += chunkSize) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException closedByServer) {
            // the server stopped reading; its answer is already on the way
        }
    }

    private static String readAnswer(InputStream in) throws IOException {
        var answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            // until the whole answer is in: the server may keep the connection open, waiting for the body
            for (int read; !isComplete(answer.toString(StandardCharsets.UTF_8)) && (read = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, read);
            }
        } catch (SocketException resetAfterAnswer) {
            // a reset after the answer arrived: what was read is the answer
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static boolean isComplete(String answer) {
        int headersEnd = answer.indexOf("\r\n\r\n");
        if (headersEnd < 0) {
            return false;
        }
        var length = CONTENT_LENGTH.matcher(answer.substring(0, headersEnd));
        if (length.find()) {
            return answer.length() - headersEnd - 4 >= Integer.parseInt(length.group(1));
        }
        return answer.endsWith("\r\n0\r\n\r\n"); // a chunked answer's last chunk
    }
}

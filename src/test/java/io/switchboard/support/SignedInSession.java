package io.switchboard.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A person's signed-in session, as a browser holds it: cookies, the login form, CSRF tokens from pages. */
public final class SignedInSession {

    private final HttpClient http;
    private final String baseUrl;

    /** Signs in through the login form with the test password. */
    public SignedInSession(String baseUrl, String email) throws Exception {
        this(baseUrl, email, Tenants.PASSWORD);
    }

    /** Signs in through the login form with the person's own password. */
    public SignedInSession(String baseUrl, String email, String password) throws Exception {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        String page = get("/login").body();
        String form = "username=" + encode(email) + "&password=" + encode(password) + "&_csrf=" + csrf(page);
        var signedIn = post("/login", form);
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElse("")).as("signed in").doesNotContain("error");
    }

    public HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpClient http() {
        return http;
    }

    /**
     * One sign-in attempt through the form with a fresh cookie jar, as a browser makes it; extra headers (e.g.
     * X-Forwarded-For) go on the form post. The answer is the form's: 302 to the app, or to {@code ?error}.
     */
    public static HttpResponse<String> attempt(String baseUrl, String email, String password, String... headers) throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(5)).build();
        String page = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/login")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String form = "username=" + encode(email) + "&password=" + encode(password) + "&_csrf=" + csrf(page);
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(baseUrl + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            post.headers(headers);
        }
        return http.send(post.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The CSRF token a server-rendered page carries in its forms. */
    public static String csrf(String page) {
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as("the page carries a CSRF token").isTrue();
        return csrf.group(1);
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

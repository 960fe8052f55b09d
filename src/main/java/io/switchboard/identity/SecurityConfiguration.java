package io.switchboard.identity;

import io.switchboard.database.ClusterRateLimits;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Four doors: provider webhooks and the web chat (verified by their own signatures and tokens, not by us),
 * operations endpoints (health open, metrics for the instance operator), the REST API (bearer tokens, or the
 * UI's session with a CSRF token), and the UI (form login). Every response carries the security headers.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

    /**
     * Scripts only from this server (no inline scripts or handlers anywhere in the templates: keep it so), styles
     * may be inline (htmx adds its indicator style), nothing may frame the UI.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: https:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
            + "form-action 'self'; frame-ancestors 'none'";
    static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    /** A request the firewall rejects (odd characters in a parameter name, a malformed path) is the client's error. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return new HttpStatusRequestRejectedHandler(400);
    }

    /**
     * Spring Security wraps each of its filters in an observation when metrics are on; the property
     * {@code management.observations.enable.spring.security=false} only makes them no-ops, still wrapped. Not
     * wrapping at all saves ~15 wrappers on every request (profiled on the webhook path).
     */
    @Bean
    org.springframework.security.config.observation.SecurityObservationSettings securityObservationSettings() {
        return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
    }

    @Bean
    ProblemResponses problemResponses(JsonMapper json) {
        return new ProblemResponses(json);
    }

    @Bean
    @Order(1)
    SecurityFilterChain webhooks(HttpSecurity http) throws Exception {
        return http.securityMatcher("/webhooks/**", "/webchat/**")
                .cors(Customizer.withDefaults())
                .csrf(csrf -> csrf.disable())
                .headers(SecurityConfiguration::headers)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .build();
    }

    /**
     * Health and info are open (load balancers, probes). Metrics tell a lot about every tenant's traffic: they
     * take an instance operator's bearer token, unless {@code switchboard.metrics-public=true} because the
     * actuator runs on a management port that only the monitoring network reaches.
     */
    @Bean
    @Order(2)
    SecurityFilterChain operations(HttpSecurity http, ApiTokens tokens, ProblemResponses problems, ClusterRateLimits limits,
                                   @Value("${switchboard.metrics-public:false}") boolean metricsPublic) throws Exception {
        return http.securityMatcher("/actuator/**")
                .csrf(csrf -> csrf.disable())
                .headers(SecurityConfiguration::headers)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens, problems, limits), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(a -> {
                    a.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll();
                    if (metricsPublic) {
                        a.anyRequest().permitAll();
                    } else {
                        a.anyRequest().hasRole("OPERATOR");
                    }
                })
                .exceptionHandling(e -> e.authenticationEntryPoint(problems.unauthorized()).accessDeniedHandler(problems.forbidden()))
                .build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens, Users users, ProblemResponses problems,
                            ClusterRateLimits limits) throws Exception {
        return http.securityMatcher("/api/**")
                // Only a cookie can ride along cross-site, so CSRF guards every call that could be authenticated by
                // the session cookie. A bearer call is authenticated by its token (or refused with 401 when the
                // token is wrong, whatever cookie comes with it); any other Authorization scheme does not exempt. A
                // call without any session cookie has nothing to ride on and gets a clean 401 from authorization.
                .csrf(csrf -> csrf.ignoringRequestMatchers(request -> {
                    String authorization = request.getHeader("Authorization");
                    return request.getRequestedSessionId() == null
                            || authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
                }))
                .headers(SecurityConfiguration::headers)
                .addFilterAfter(new SessionFollowsUser(users), SecurityContextHolderFilter.class)
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens, problems, limits), BasicAuthenticationFilter.class)
                .addFilterAfter(new TenantScopeFilter(), AuthorizationFilter.class)
                .requestCache(cache -> cache.disable())
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(problems.unauthorized())
                        .accessDeniedHandler(problems.forbidden()))
                .build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain ui(HttpSecurity http, Users users, ProblemResponses problems, ClusterRateLimits limits,
                           OrganizationChoice organizationChoice) throws Exception {
        return http
                .headers(SecurityConfiguration::headers)
                .addFilterAfter(new SessionFollowsUser(users), SecurityContextHolderFilter.class)
                .addFilterBefore(new LoginThrottle(limits, problems), UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(new TenantScopeFilter(), AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/login", OrganizationChoice.PAGE, "/setup", "/signup", "/error", "/css/**", "/js/**", "/img/**", "/webjars/**",
                                "/widget.js", "/demo", "/favicon.ico",
                                "/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html").permitAll()
                        .requestMatchers("/operator/**").hasRole("OPERATOR")
                        .requestMatchers("/admin/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false).failureHandler(organizationChoice).permitAll())
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout"))
                .build();
    }

    private static void headers(HeadersConfigurer<HttpSecurity> headers) {
        headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                .permissionsPolicyHeader(p -> p.policy(PERMISSIONS_POLICY));
    }
}

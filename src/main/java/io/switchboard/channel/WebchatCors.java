package io.switchboard.channel;

import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The widget runs on the customer's own site and calls us from there. The web chat API carries its own
 * signed token (no cookies), so any origin may call it. Given as a path-based source, which the security
 * filter chain uses directly: without it, every webhook request paid a second handler-mapping lookup just to
 * learn that it has no CORS rules.
 */
@Configuration(proxyBeanMethods = false)
class WebchatCors {

    @Bean
    CorsConfigurationSource corsConfigurationSource() {
        CorsConfiguration webchat = new CorsConfiguration();
        webchat.setAllowedOriginPatterns(List.of("*"));
        webchat.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
        webchat.setAllowedHeaders(List.of("Content-Type", "X-Webchat-Token"));
        webchat.setAllowCredentials(false);
        webchat.setMaxAge(Duration.ofHours(1));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/webchat/**", webchat);
        return source;
    }
}

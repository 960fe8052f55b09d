package io.switchboard.channel;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The widget runs on the customer's own site and calls us from there. The web chat API carries its own
 * signed token (no cookies), so any origin may call it.
 */
@Configuration(proxyBeanMethods = false)
class WebchatCors implements WebMvcConfigurer {

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping("/webchat/**").allowedOriginPatterns("*").allowedMethods("GET", "POST", "OPTIONS")
                .allowedHeaders("Content-Type", "X-Webchat-Token").allowCredentials(false).maxAge(3600);
    }
}

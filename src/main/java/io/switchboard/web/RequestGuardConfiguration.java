package io.switchboard.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import io.switchboard.identity.ProblemResponses;

/** Puts {@link RequestGuard} in front of everything, Spring Security included. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RequestGuard.BodyLimits.class)
class RequestGuardConfiguration {

    @Bean
    FilterRegistrationBean<RequestGuard> requestGuard(RequestGuard.BodyLimits limits, ProblemResponses problems) {
        FilterRegistrationBean<RequestGuard> registration = new FilterRegistrationBean<>(new RequestGuard(limits, problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        registration.addUrlPatterns("/*");
        return registration;
    }
}

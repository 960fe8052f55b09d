package io.switchboard.web;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import io.switchboard.identity.ProblemResponses;
import io.switchboard.media.MediaProperties;
import jakarta.servlet.MultipartConfigElement;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.boot.servlet.autoconfigure.MultipartProperties;
import org.springframework.util.unit.DataSize;

/** Puts {@link RequestGuard} in front of everything, Spring Security included. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RequestGuard.BodyLimits.class)
class RequestGuardConfiguration {

    @Bean
    FilterRegistrationBean<RequestGuard> requestGuard(RequestGuard.BodyLimits limits, MediaProperties media, ProblemResponses problems) {
        FilterRegistrationBean<RequestGuard> registration = new FilterRegistrationBean<>(
                new RequestGuard(limits.takingFilesOf(media.maxSize()), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        registration.addUrlPatterns("/*");
        return registration;
    }

    /** Spring's multipart parser, with the media limit as its floor (the knowledge uploads' 20 MB otherwise). */
    @Bean
    MultipartConfigElement multipartConfigElement(MultipartProperties multipart, MediaProperties media) {
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setMaxFileSize(larger(multipart.getMaxFileSize(), media.maxSize()));
        factory.setMaxRequestSize(larger(multipart.getMaxRequestSize(),
                DataSize.ofBytes(media.maxSize().toBytes() + DataSize.ofMegabytes(1).toBytes())));
        factory.setFileSizeThreshold(multipart.getFileSizeThreshold());
        factory.setLocation(multipart.getLocation());
        return factory.createMultipartConfig();
    }

    private static DataSize larger(DataSize configured, DataSize floor) {
        if (configured != null && configured.toBytes() < 0) {
            return configured; // -1: no limit
        }
        return configured == null || configured.compareTo(floor) < 0 ? floor : configured;
    }
}

package io.switchboard.channel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The providers' webhooks found among their own dozen mappings before the application's ~370 others. A path
 * with a variable ({@code /webhooks/twilio/{accountId}}) has no direct lookup in Spring MVC: it is matched
 * against every mapping in turn, which was ~14 % of a webhook request's time (profiled in a burst) — the
 * hottest path of the product. Other requests find nothing here and go on to the application's mapping.
 */
@Configuration(proxyBeanMethods = false)
class WebhookHandlerMapping {

    @Bean
    RequestMappingHandlerMapping providerWebhookMapping() {
        RequestMappingHandlerMapping mapping = new RequestMappingHandlerMapping() {
            @Override
            protected boolean isHandler(Class<?> beanType) {
                return ProviderWebhooks.class.isAssignableFrom(beanType);
            }
        };
        mapping.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return mapping;
    }
}

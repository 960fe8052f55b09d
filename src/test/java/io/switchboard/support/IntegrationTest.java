package io.switchboard.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole application on a random port against the shared embedded PostgreSQL. Every class using it
 * with no further configuration shares one cached Spring context, so the suite starts the app once.
 * Tests isolate themselves by creating their own organizations ({@link Tenants}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ContextConfiguration(initializers = ProviderFakes.Initializer.class)
@Import({Tenants.class, ApiClient.class, Channels.class, AiFixtures.class})
public @interface IntegrationTest {
}

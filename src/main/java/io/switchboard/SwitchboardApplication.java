package io.switchboard;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Switchboard: AI agents and human agents answering customers together. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class SwitchboardApplication {

    public static void main(String[] args) {
        SpringApplication.run(SwitchboardApplication.class, args);
    }

    /** The one source of "now", so time-dependent rules can be tested. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}

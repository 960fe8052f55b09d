package io.switchboard;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Switchboard: AI agents and human agents answering customers together. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class SwitchboardApplication {

    public static void main(String[] args) {
        SpringApplication.run(SwitchboardApplication.class, args);
    }
}

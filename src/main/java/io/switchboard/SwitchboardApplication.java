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

    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    public static void main(String[] args) {
        // the headless agent test runner talks to a running instance over its API: no server of its own
        if (args.length > 0 && "test-agents".equals(args[0])) {
            System.exit(io.switchboard.rehearsal.AgentTestsCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        // With 2 cores the common pool gets one thread, and CompletableFuture then starts a new platform thread for
        // every asynchronous step — one per LLM response. A small shared pool instead (the same setting as a JVM flag
        // took the 0 ms benchmark from 28 to 41 turns/s on 2 cores).
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(COMMON_POOL_PARALLELISM, "4");
        }
        SpringApplication.run(SwitchboardApplication.class, args);
    }

    /** The one source of "now", so time-dependent rules can be tested. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}

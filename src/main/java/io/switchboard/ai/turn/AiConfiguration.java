package io.switchboard.ai.turn;

import io.switchboard.ai.llm.LlmClient;
import io.switchboard.ai.llm.OpenAiCompatibleLlmClient;
import io.switchboard.ai.offline.FaqResponder;
import io.switchboard.knowledge.KnowledgeSearch;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The LLM client (OpenAI-compatible by default) and the offline FAQ responder. */
@Configuration(proxyBeanMethods = false)
class AiConfiguration {

    @Bean
    LlmClient llmClient() {
        return new OpenAiCompatibleLlmClient();
    }

    @Bean
    FaqResponder faqResponder(KnowledgeSearch knowledge) {
        return new FaqResponder(knowledge);
    }
}

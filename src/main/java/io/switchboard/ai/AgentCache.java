package io.switchboard.ai;

import io.switchboard.database.ClusterSignal;
import io.switchboard.database.ClusterSignals;
import io.switchboard.database.OrganizationCache;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * AI agents and the tools assigned to them, kept on each node: every customer message and every turn reads
 * them (four queries a turn). Whoever writes {@code ai_agents}, {@code ai_agent_tools} or {@code ai_tools}
 * calls {@link #changed} in the same transaction; every node then forgets the organization's agents.
 */
@Component
public class AgentCache {

    final OrganizationCache<UUID, Optional<AiAgent>> agents;
    final OrganizationCache<UUID, List<AiAgents.ToolRow>> tools;

    AgentCache(ClusterSignals signals) {
        this.agents = new OrganizationCache<>(signals, "ai_agents_changed");
        this.tools = new OrganizationCache<>(signals, "ai_agent_tools_changed");
    }

    /** An organization's agents, their tool assignments or its tools changed. */
    public void changed(UUID organizationId) {
        agents.changed(organizationId);
        tools.changed(organizationId);
    }

    @EventListener
    void on(ClusterSignal signal) {
        agents.on(signal);
        tools.on(signal);
    }
}

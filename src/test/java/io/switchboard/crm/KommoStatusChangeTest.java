package io.switchboard.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KommoStatusChangeTest {

    @Test
    void everyLeadOfAWebhookIsReadInIndexOrder() throws Exception {
        Map<String, String[]> form = new LinkedHashMap<>();
        form.put("leads[status][1][id]", new String[] {"222"});
        form.put("leads[status][1][status_id]", new String[] {"143"});
        form.put("leads[status][0][id]", new String[] {"111"});
        form.put("leads[status][0][status_id]", new String[] {"61420001"});
        form.put("leads[status][0][pipeline_id]", new String[] {"7710001"});
        form.put("leads[status][0][old_status_id]", new String[] {"61420002"});
        form.put("account[subdomain]", new String[] {"acme"});

        assertThat(KommoStatusChange.parse(form)).containsExactly(
                new KommoStatusChange(111, 61420001, 7710001L, 61420002L),
                new KommoStatusChange(222, 143, null, null));
    }

    @Test
    void otherLeadEventsCarryNoStageChange() throws Exception {
        assertThat(KommoStatusChange.parse(Map.of("leads[update][0][id]", new String[] {"111"}))).isEmpty();
    }

    @Test
    void aBodyWithoutLeadsOrAStatusWithoutItsLeadIsMalformed() {
        assertThatThrownBy(() -> KommoStatusChange.parse(Map.of("foo", new String[] {"bar"})))
                .isInstanceOf(KommoStatusChange.MalformedWebhook.class);
        assertThatThrownBy(() -> KommoStatusChange.parse(Map.of("leads[status][0][status_id]", new String[] {"1"})))
                .hasMessageContaining("leads[status][0][id] is required");
    }
}

package io.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.refusal.InvalidInput;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Opening windows, holidays and open-time arithmetic, in São Paulo time (no daylight saving since 2019). */
class BusinessHoursTest {

    private static final BusinessHours WEEKDAYS = new BusinessHours("America/Sao_Paulo", Map.of(
            "monday", List.of(new BusinessHours.Window("09:00", "12:00"), new BusinessHours.Window("13:00", "18:00")),
            "tuesday", List.of(new BusinessHours.Window("09:00", "18:00")),
            "wednesday", List.of(new BusinessHours.Window("09:00", "18:00")),
            "thursday", List.of(new BusinessHours.Window("09:00", "18:00")),
            "friday", List.of(new BusinessHours.Window("09:00", "18:00"))),
            List.of(LocalDate.parse("2026-12-25"))).validated().orElseThrow();

    private static Instant local(String dateTime) {
        return ZonedDateTime.parse(dateTime + "-03:00[America/Sao_Paulo]").toInstant();
    }

    @Test
    void openOnlyInsideItsWindowsAndNeverOnAHoliday() {
        assertThat(WEEKDAYS.openAt(local("2026-12-07T09:00:00"))).isTrue(); // Monday
        assertThat(WEEKDAYS.openAt(local("2026-12-07T12:30:00"))).as("Monday lunch").isFalse();
        assertThat(WEEKDAYS.openAt(local("2026-12-07T18:00:00"))).as("closing time").isFalse();
        assertThat(WEEKDAYS.openAt(local("2026-12-05T10:00:00"))).as("Saturday").isFalse();
        assertThat(WEEKDAYS.openAt(local("2026-12-25T10:00:00"))).as("Christmas, a Friday").isFalse();
    }

    @Test
    void theNextOpeningSkipsNightsWeekendsAndHolidays() {
        assertThat(WEEKDAYS.nextOpening(local("2026-12-07T12:10:00")).orElseThrow().toInstant()).isEqualTo(local("2026-12-07T13:00:00"));
        assertThat(WEEKDAYS.nextOpening(local("2026-12-04T18:30:00")).orElseThrow().toInstant()).as("Friday evening")
                .isEqualTo(local("2026-12-07T09:00:00"));
        assertThat(WEEKDAYS.nextOpening(local("2026-12-24T19:00:00")).orElseThrow().toInstant()).as("Christmas Eve")
                .isEqualTo(local("2026-12-28T09:00:00"));
    }

    @Test
    void slaTimeCountsOnlyOpenTime() {
        // 5 minutes asked at 17:58 on a Friday: 2 minutes on Friday, 3 on Monday
        assertThat(WEEKDAYS.plus(local("2026-12-04T17:58:00"), Duration.ofMinutes(5))).isEqualTo(local("2026-12-07T09:03:00"));
        // asked during the weekend: counted from Monday's opening, across the lunch break
        assertThat(WEEKDAYS.plus(local("2026-12-05T11:00:00"), Duration.ofHours(4))).isEqualTo(local("2026-12-07T14:00:00"));
        // 24 open hours from Wednesday the 23rd 09:00: Wed 9 h, Thu 9 h, no Friday (Christmas), Monday 3 h + 3 h after lunch
        assertThat(WEEKDAYS.plus(local("2026-12-23T09:00:00"), Duration.ofHours(24)))
                .as("Christmas skipped").isEqualTo(local("2026-12-28T16:00:00"));
    }

    @Test
    void noWindowAtAllMeansAlwaysOpenAndBadHoursAreRefusedWithTheReason() {
        assertThat(new BusinessHours("UTC", Map.of("monday", List.of()), List.of()).validated()).isEmpty();
        assertThatThrownBy(() -> new BusinessHours("Mars/Olympus", Map.of("monday", List.of(new BusinessHours.Window("09:00", "18:00"))),
                null).validated()).isInstanceOf(InvalidInput.class).hasMessageContaining("time zone");
        assertThatThrownBy(() -> new BusinessHours("UTC", Map.of("funday", List.of(new BusinessHours.Window("09:00", "18:00"))),
                null).validated()).isInstanceOf(InvalidInput.class).hasMessageContaining("weekday");
        assertThatThrownBy(() -> new BusinessHours("UTC", Map.of("monday", List.of(new BusinessHours.Window("18:00", "09:00"))),
                null).validated()).isInstanceOf(InvalidInput.class).hasMessageContaining("end after it starts");
        assertThatThrownBy(() -> new BusinessHours("UTC", Map.of("monday", List.of(new BusinessHours.Window("09:00", "12:00"),
                new BusinessHours.Window("11:00", "13:00"))), null).validated()).isInstanceOf(InvalidInput.class).hasMessageContaining("overlap");
        BusinessHours allDay = new BusinessHours("UTC", Map.of("sunday", List.of(new BusinessHours.Window("00:00", "24:00"))), null)
                .validated().orElseThrow();
        assertThat(allDay.openAt(Instant.parse("2026-12-06T23:59:00Z"))).isTrue();
        assertThat(allDay.openAt(Instant.parse("2026-12-07T00:00:00Z"))).isFalse();
    }
}

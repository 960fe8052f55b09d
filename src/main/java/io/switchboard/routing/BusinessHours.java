package io.switchboard.routing;

import io.switchboard.refusal.InvalidInput;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * When a department's people work: opening windows per weekday (monday from 09:00 to 18:00; 24:00 ends a day) in a
 * time zone, minus holidays (whole days). Outside them handoffs wait in the queue and SLA clocks stand still
 * ({@link #plus}). The JSON shape is in the README.
 */
public record BusinessHours(String timezone, Map<String, List<Window>> weekly, List<LocalDate> holidays) {

    /** How far ahead an opening is looked for: a department closed for a whole year is treated as never opening. */
    private static final int HORIZON_DAYS = 366;

    /** One opening window of a day, HH:mm to HH:mm (or 24:00), local time. */
    public record Window(String from, String to) {

        int fromMinute() {
            return minute(from, "from");
        }

        int toMinute() {
            return minute(to, "to");
        }

        private static int minute(String value, String field) {
            if (value == null || !value.strip().matches("\\d{1,2}:\\d{2}")) {
                throw new InvalidInput("business hours: '" + field + "' must be a time like 09:00");
            }
            String[] parts = value.strip().split(":");
            int hour = Integer.parseInt(parts[0]);
            int minute = Integer.parseInt(parts[1]);
            if (hour > 24 || minute > 59 || (hour == 24 && minute > 0)) {
                throw new InvalidInput("business hours: '" + value + "' is not a time of day (00:00 to 24:00)");
            }
            return hour * 60 + minute;
        }
    }

    /**
     * The same hours, checked and normalised (weekday keys in lower case, windows sorted, holidays sorted), or empty
     * when no window is given at all: always open.
     *
     * @throws InvalidInput naming what is wrong
     */
    public Optional<BusinessHours> validated() {
        if (weekly == null || weekly.values().stream().allMatch(w -> w == null || w.isEmpty())) {
            return Optional.empty();
        }
        zone();
        Map<String, List<Window>> days = new LinkedHashMap<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            days.put(key(day), List.of());
        }
        weekly.forEach((name, windows) -> {
            String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
            if (!days.containsKey(key)) {
                throw new InvalidInput("business hours: '" + name + "' is not a weekday (monday … sunday)");
            }
            List<Window> sorted = (windows == null ? List.<Window>of() : windows).stream()
                    .sorted(Comparator.comparingInt(Window::fromMinute)).toList();
            for (int i = 0; i < sorted.size(); i++) {
                if (sorted.get(i).fromMinute() >= sorted.get(i).toMinute()) {
                    throw new InvalidInput("business hours: on " + key + " a window must end after it starts");
                }
                if (i > 0 && sorted.get(i).fromMinute() < sorted.get(i - 1).toMinute()) {
                    throw new InvalidInput("business hours: on " + key + " windows overlap");
                }
            }
            days.put(key, sorted);
        });
        List<LocalDate> daysOff = holidays == null ? List.of() : List.copyOf(new TreeSet<>(holidays));
        return Optional.of(new BusinessHours(zone().getId(), days, daysOff));
    }

    ZoneId zone() {
        try {
            return ZoneId.of(timezone == null || timezone.isBlank() ? "UTC" : timezone.strip());
        } catch (DateTimeException e) {
            throw new InvalidInput("business hours: '" + timezone + "' is not a time zone (e.g. America/Sao_Paulo)");
        }
    }

    /** Whether the department is open at {@code at}. */
    public boolean openAt(Instant at) {
        ZonedDateTime local = at.atZone(zone());
        int minute = local.getHour() * 60 + local.getMinute();
        return !closedAllDay(local.toLocalDate())
                && windows(local.toLocalDate()).stream().anyMatch(w -> w.fromMinute() <= minute && minute < w.toMinute());
    }

    /** When it next opens after {@code at} (at itself when open): empty when no window lies within a year. */
    public Optional<ZonedDateTime> nextOpening(Instant at) {
        if (openAt(at)) {
            return Optional.of(at.atZone(zone()));
        }
        LocalDate day = at.atZone(zone()).toLocalDate();
        for (int d = 0; d < HORIZON_DAYS; d++, day = day.plusDays(1)) {
            for (Window w : closedAllDay(day) ? List.<Window>of() : windows(day)) {
                ZonedDateTime start = at(day, w.fromMinute());
                if (start.toInstant().isAfter(at)) {
                    return Optional.of(start);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The instant when {@code business} of open time has passed since {@code start}: a 5-minute target handed over
     * at 17:58 with hours 09:00–18:00 falls due at 09:03 the next working day. Without any opening within a year it
     * is plain time (a clock must fall due some day).
     */
    public Instant plus(Instant start, Duration business) {
        long left = business.toSeconds();
        LocalDate day = start.atZone(zone()).toLocalDate();
        for (int d = 0; d < HORIZON_DAYS; d++, day = day.plusDays(1)) {
            for (Window w : closedAllDay(day) ? List.<Window>of() : windows(day)) {
                Instant from = at(day, w.fromMinute()).toInstant();
                Instant to = at(day, w.toMinute()).toInstant();
                if (!to.isAfter(start)) {
                    continue;
                }
                Instant begin = from.isBefore(start) ? start : from;
                long open = Duration.between(begin, to).toSeconds();
                if (left <= open) {
                    return begin.plusSeconds(left);
                }
                left -= open;
            }
        }
        return start.plus(business);
    }

    private boolean closedAllDay(LocalDate day) {
        return holidays != null && holidays.contains(day);
    }

    private List<Window> windows(LocalDate day) {
        List<Window> windows = weekly == null ? null : weekly.get(key(day.getDayOfWeek()));
        return windows == null ? List.of() : windows;
    }

    private ZonedDateTime at(LocalDate day, int minute) {
        return minute >= 24 * 60 ? day.plusDays(1).atStartOfDay(zone())
                : day.atTime(minute / 60, minute % 60).atZone(zone());
    }

    static String key(DayOfWeek day) {
        return day.name().toLowerCase(Locale.ROOT);
    }
}

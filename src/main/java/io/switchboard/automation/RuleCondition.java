package io.switchboard.automation;

import io.switchboard.refusal.InvalidInput;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One condition of a rule: a field of the event's facts, an operator and a value. Fields: {@code message_text}
 * (contains, not_contains, matches, is), {@code intent} (is), {@code channel}, {@code department}, {@code stage},
 * {@code status}, {@code priority} (is, is_not), {@code tag} (has, has_not), {@code contact.<attribute>} (is, is_not,
 * contains, present) and {@code business_hours} (in, out; value like {@code mon-fri 08:00-18:00 America/Sao_Paulo}).
 */
public record RuleCondition(String field, String operator, String value) {

    private static final Pattern HOURS = Pattern.compile(
            "(?i)\\s*(mon|tue|wed|thu|fri|sat|sun)-(mon|tue|wed|thu|fri|sat|sun)\\s+(\\d{1,2}:\\d{2})-(\\d{1,2}:\\d{2})\\s+(\\S+)\\s*");

    String op() {
        return operator == null ? "" : operator.strip().toLowerCase(Locale.ROOT);
    }

    String f() {
        return field == null ? "" : field.strip().toLowerCase(Locale.ROOT);
    }

    /** Whether the condition holds for these facts. */
    boolean holds(Facts facts) {
        String v = value == null ? "" : value.strip();
        String f = f();
        if (f.startsWith("contact.")) {
            String actual = facts.contactAttribute(f.substring("contact.".length()));
            return switch (op()) {
                case "present" -> actual != null && !actual.isBlank();
                case "contains" -> actual != null && fold(actual).contains(fold(v));
                case "is_not" -> actual == null || !fold(actual).equals(fold(v));
                default -> actual != null && fold(actual).equals(fold(v));
            };
        }
        return switch (f) {
            case "message_text" -> {
                String text = facts.messageText() == null ? "" : facts.messageText();
                yield switch (op()) {
                    case "matches" -> Pattern.compile(v, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(text).find();
                    case "not_contains" -> !fold(text).contains(fold(v));
                    case "is" -> fold(text).strip().equals(fold(v));
                    default -> fold(text).contains(fold(v));
                };
            }
            case "intent" -> v.equalsIgnoreCase(Objects.toString(facts.intent(), ""));
            case "tag" -> "has_not".equals(op()) != facts.tags().stream().anyMatch(t -> t.equalsIgnoreCase(v));
            case "business_hours" -> "out".equals(op()) != withinHours(v, facts.now());
            default -> {
                String actual = facts.attribute(f);
                boolean equal = actual != null && actual.equalsIgnoreCase(v)
                        || f.equals("stage") && facts.conversation().stageId() != null && facts.conversation().stageId().toString().equals(v);
                yield "is_not".equals(op()) != equal;
            }
        };
    }

    /** @throws InvalidInput naming the condition when it could never be evaluated */
    RuleCondition checked(String where) {
        String f = f();
        String op = op();
        boolean known = switch (f) {
            case "message_text" -> op.matches("contains|not_contains|matches|is");
            case "intent" -> op.equals("is");
            case "channel", "department", "stage", "status", "priority" -> op.matches("is|is_not");
            case "tag" -> op.matches("has|has_not");
            case "business_hours" -> op.matches("in|out");
            default -> f.startsWith("contact.") && f.length() > 8 && op.matches("is|is_not|contains|present");
        };
        if (!known) {
            throw new InvalidInput(where + ": unknown field or operator '" + field + " " + operator + "'");
        }
        if (!op.equals("present") && (value == null || value.isBlank())) {
            throw new InvalidInput(where + " (" + f + " " + op + ") needs a value");
        }
        if (op.equals("matches")) {
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new InvalidInput(where + ": '" + value + "' is not a valid regular expression");
            }
        }
        if (f.equals("business_hours")) {
            parseHours(value, where);
        }
        return new RuleCondition(f, op, value == null ? null : value.strip());
    }

    private static boolean withinHours(String spec, java.time.Instant now) {
        Hours hours = parseHours(spec, "business_hours");
        ZonedDateTime local = now.atZone(hours.zone());
        int day = local.getDayOfWeek().getValue();
        boolean dayIn = hours.from().getValue() <= hours.to().getValue()
                ? day >= hours.from().getValue() && day <= hours.to().getValue()
                : day >= hours.from().getValue() || day <= hours.to().getValue();
        LocalTime time = local.toLocalTime();
        return dayIn && !time.isBefore(hours.opens()) && time.isBefore(hours.closes());
    }

    private record Hours(DayOfWeek from, DayOfWeek to, LocalTime opens, LocalTime closes, ZoneId zone) {
    }

    private static Hours parseHours(String spec, String where) {
        var m = HOURS.matcher(spec == null ? "" : spec);
        if (!m.matches()) {
            throw new InvalidInput(where + ": business hours look like 'mon-fri 08:00-18:00 America/Sao_Paulo'");
        }
        try {
            return new Hours(day(m.group(1)), day(m.group(2)), LocalTime.parse(pad(m.group(3))), LocalTime.parse(pad(m.group(4))),
                    ZoneId.of(m.group(5)));
        } catch (RuntimeException e) {
            throw new InvalidInput(where + ": business hours look like 'mon-fri 08:00-18:00 America/Sao_Paulo' (" + e.getMessage() + ")");
        }
    }

    private static String pad(String time) {
        return time.length() == 4 ? "0" + time : time;
    }

    private static DayOfWeek day(String abbreviation) {
        return switch (abbreviation.toLowerCase(Locale.ROOT)) {
            case "mon" -> DayOfWeek.MONDAY;
            case "tue" -> DayOfWeek.TUESDAY;
            case "wed" -> DayOfWeek.WEDNESDAY;
            case "thu" -> DayOfWeek.THURSDAY;
            case "fri" -> DayOfWeek.FRIDAY;
            case "sat" -> DayOfWeek.SATURDAY;
            default -> DayOfWeek.SUNDAY;
        };
    }

    /** Case- and accent-insensitive text, so "Frete" matches "frete" and "informação" matches "informacao". */
    static String fold(String text) {
        return java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
    }
}

package io.stratus.events;

import io.stratus.core.AwsException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's {@code ScheduleExpression}: {@code rate(5 minutes)} or AWS's six-field
 * {@code cron(minutes hours day-of-month month day-of-week year)} in UTC, with {@code , - * ? /},
 * names of months and weekdays, {@code L}, {@code W} and {@code #}. Immutable.
 */
sealed interface Schedule {

    /** The first time after {@code after} the rule runs, or null when it never will again. */
    Instant next(Instant after);

    static Schedule parse(String expression) {
        Schedule schedule = expression == null ? null : tryParse(expression.trim());
        if (schedule == null) {
            throw invalid();
        }
        return schedule;
    }

    private static AwsException invalid() {
        return EventsErrors.validation("Parameter ScheduleExpression is not valid.");
    }

    private static Schedule tryParse(String expression) {
        Matcher rate = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)").matcher(expression);
        if (rate.matches()) {
            long value;
            try {
                value = Long.parseLong(rate.group(1));
            } catch (NumberFormatException e) {
                return null;
            }
            String unit = rate.group(2);
            if (value <= 0 || (value == 1) != !unit.endsWith("s")) {
                return null;
            }
            Duration period = switch (unit.replaceAll("s$", "")) {
                case "minute" -> Duration.ofMinutes(value);
                case "hour" -> Duration.ofHours(value);
                default -> Duration.ofDays(value);
            };
            return new Rate(period);
        }
        Matcher cron = Pattern.compile("cron\\((.*)\\)").matcher(expression);
        if (cron.matches()) {
            try {
                return Cron.parse(cron.group(1).trim());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    /** Every {@code period}, counted from when the rule was scheduled. */
    record Rate(Duration period) implements Schedule {
        @Override
        public Instant next(Instant after) {
            return after.truncatedTo(ChronoUnit.SECONDS).plus(period);
        }
    }

    /** AWS's cron, in UTC. */
    record Cron(BitSet minutes, BitSet hours, String dayOfMonth, BitSet days, BitSet months, String dayOfWeek, BitSet weekdays,
            BitSet years) implements Schedule {

        private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
        private static final List<String> WEEKDAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

        static Cron parse(String text) {
            String[] fields = text.split("\\s+");
            if (fields.length != 6) {
                throw new IllegalArgumentException("six fields");
            }
            String dom = fields[2].toUpperCase(Locale.ROOT);
            String dow = fields[4].toUpperCase(Locale.ROOT);
            if (dom.equals("?") == dow.equals("?")) {
                throw new IllegalArgumentException("exactly one of day-of-month and day-of-week is ?");
            }
            BitSet days = dom.equals("?") || dom.contains("L") || dom.contains("W") ? null : values(dom, 1, 31, List.of());
            if (dom.contains("W") && !dom.matches("\\d{1,2}W|LW")) {
                throw new IllegalArgumentException("W");
            }
            if (dom.contains("L") && !dom.matches("L|LW")) {
                throw new IllegalArgumentException("L");
            }
            BitSet weekdays = dow.equals("?") || dow.contains("#") || dow.contains("L") ? null : values(dow, 1, 7, WEEKDAYS);
            if (dow.contains("#") && !dow.matches("([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)#[1-5]")) {
                throw new IllegalArgumentException("#");
            }
            if (dow.contains("L") && !dow.matches("([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)L")) {
                throw new IllegalArgumentException("L");
            }
            return new Cron(values(fields[0], 0, 59, List.of()), values(fields[1], 0, 23, List.of()), dom, days,
                    values(fields[3].toUpperCase(Locale.ROOT), 1, 12, MONTHS), dow, weekdays, values(fields[5], 1970, 2199, List.of()));
        }

        private static BitSet values(String field, int min, int max, List<String> names) {
            BitSet set = new BitSet(max + 1);
            for (String part : field.split(",", -1)) {
                int step = 1;
                String range = part;
                int slash = part.indexOf('/');
                if (slash >= 0) {
                    step = Integer.parseInt(part.substring(slash + 1));
                    range = part.substring(0, slash);
                    if (step <= 0) {
                        throw new IllegalArgumentException("step");
                    }
                }
                int from;
                int to;
                if (range.equals("*")) {
                    from = min;
                    to = max;
                } else if (range.contains("-")) {
                    String[] ends = range.split("-", 2);
                    from = value(ends[0], names, min);
                    to = value(ends[1], names, min);
                } else {
                    from = value(range, names, min);
                    to = slash >= 0 ? max : from;
                }
                if (from < min || to > max || from > to) {
                    throw new IllegalArgumentException("range");
                }
                for (int v = from; v <= to; v += step) {
                    set.set(v);
                }
            }
            return set;
        }

        private static int value(String text, List<String> names, int min) {
            int index = names.indexOf(text);
            if (index >= 0) {
                return index + min;
            }
            if (!text.matches("\\d{1,4}")) {
                throw new IllegalArgumentException("value");
            }
            return Integer.parseInt(text);
        }

        @Override
        public Instant next(Instant after) {
            LocalDateTime start = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            LocalDate day = start.toLocalDate();
            for (int i = 0; i < 366 * 5 && day.getYear() <= 2199; i++, day = day.plusDays(1)) {
                if (!matches(day)) {
                    continue;
                }
                for (int hour = hours.nextSetBit(0); hour >= 0; hour = hours.nextSetBit(hour + 1)) {
                    for (int minute = minutes.nextSetBit(0); minute >= 0; minute = minutes.nextSetBit(minute + 1)) {
                        LocalDateTime at = day.atTime(hour, minute);
                        if (!at.isBefore(start)) {
                            return at.toInstant(ZoneOffset.UTC);
                        }
                    }
                }
            }
            return null;
        }

        private boolean matches(LocalDate day) {
            if (!years.get(day.getYear()) || !months.get(day.getMonthValue())) {
                return false;
            }
            int weekday = day.getDayOfWeek().getValue() % 7 + 1;
            if (!dayOfMonth.equals("?")) {
                return switch (dayOfMonth) {
                    case "L" -> day.getDayOfMonth() == day.lengthOfMonth();
                    case "LW" -> day.equals(nearestWeekday(day.withDayOfMonth(day.lengthOfMonth())));
                    default -> dayOfMonth.endsWith("W")
                            ? day.equals(nearestWeekday(day.withDayOfMonth(Math.min(day.lengthOfMonth(),
                                    Integer.parseInt(dayOfMonth.substring(0, dayOfMonth.length() - 1))))))
                            : days.get(day.getDayOfMonth());
                };
            }
            if (dayOfWeek.contains("#")) {
                String[] parts = dayOfWeek.split("#");
                int wanted = value(parts[0], WEEKDAYS, 1);
                int nth = Integer.parseInt(parts[1]);
                return weekday == wanted && (day.getDayOfMonth() - 1) / 7 + 1 == nth;
            }
            if (dayOfWeek.endsWith("L")) {
                int wanted = value(dayOfWeek.substring(0, dayOfWeek.length() - 1), WEEKDAYS, 1);
                return weekday == wanted && day.plusWeeks(1).getMonthValue() != day.getMonthValue();
            }
            return weekdays.get(weekday);
        }

        /** The weekday nearest {@code day} within its month, as cron's {@code W} means. */
        private static LocalDate nearestWeekday(LocalDate day) {
            DayOfWeek weekday = day.getDayOfWeek();
            if (weekday == DayOfWeek.SATURDAY) {
                LocalDate friday = day.minusDays(1);
                return friday.getMonthValue() == day.getMonthValue() ? friday : day.plusDays(2);
            }
            if (weekday == DayOfWeek.SUNDAY) {
                LocalDate monday = day.plusDays(1);
                return monday.getMonthValue() == day.getMonthValue() ? monday : day.with(TemporalAdjusters.previous(DayOfWeek.FRIDAY));
            }
            return day;
        }
    }
}

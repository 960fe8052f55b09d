package io.switchboard.automation;

import io.switchboard.refusal.InvalidInput;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** What an administrator sends to create or change an intent; absent fields keep their value on change. */
public record IntentDraft(String name, List<String> keywords, List<String> patterns, List<String> examples, Double threshold,
                          List<RuleAction> actions, Boolean enabled) {

    Intent over(Intent base) {
        String n = name != null ? name.strip() : base == null ? null : base.name();
        if (n == null || n.isEmpty() || n.length() > 100) {
            throw new InvalidInput("name is required (at most 100 characters)");
        }
        List<String> k = clean(keywords, base == null ? List.of() : base.keywords());
        List<String> p = clean(patterns, base == null ? List.of() : base.patterns());
        for (String pattern : p) {
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new InvalidInput("patterns: '" + pattern + "' is not a valid regular expression");
            }
        }
        List<String> e = clean(examples, base == null ? List.of() : base.examples());
        if (k.isEmpty() && p.isEmpty() && e.isEmpty()) {
            throw new InvalidInput("an intent needs keywords, patterns or examples to be recognised");
        }
        double t = threshold != null ? threshold : base == null ? 0.6 : base.threshold();
        if (t < 0 || t > 1) {
            throw new InvalidInput("threshold must be between 0 and 1");
        }
        List<RuleAction> a = actions != null || base == null ? RuleAction.checkedAll(actions) : base.actions();
        return new Intent(base == null ? null : base.id(), n, k, p, e, t, a, enabled != null ? enabled : base == null || base.enabled());
    }

    private static List<String> clean(List<String> given, List<String> fallback) {
        return given == null ? fallback : given.stream().filter(s -> s != null && !s.isBlank()).map(String::strip).distinct().toList();
    }
}

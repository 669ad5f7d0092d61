package dev.coderssh.core.scope;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a granted scope list cannot do ({@link ScopeCatalog#assess}): {@code missing} fails on
 * every scope-enforcing server, {@code versionDependent} only on some versions.
 */
public record ScopeAssessment(Set<Capability> missing, Set<Capability> versionDependent) {
    public ScopeAssessment {
        missing = copy(missing);
        versionDependent = copy(versionDependent);
    }

    private static Set<Capability> copy(Set<Capability> s) {
        EnumSet<Capability> c = EnumSet.noneOf(Capability.class);
        c.addAll(s);
        return Collections.unmodifiableSet(c); // table order, for stable messages
    }

    /** True when every SSH step works on every version. */
    public boolean complete() {
        return missing.isEmpty() && versionDependent.isEmpty();
    }
}

package dev.coderssh.sandbox.faults;

/** One queued fault: applies to the next {@code count} token requests. {@code param} 0 = default. */
public record Fault(FaultKind kind, int count, long param) {
  public Fault {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    if (param < 0) {
      throw new IllegalArgumentException("param must not be negative");
    }
  }

  public static Fault of(FaultKind kind, int count) {
    return new Fault(kind, count, 0);
  }

  /** {@code kind[:count[:param]]}, as the --fault flag takes it. */
  public static Fault parse(String spec) {
    String[] p = spec.split(":");
    return new Fault(FaultKind.parse(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 1,
        p.length > 2 ? Long.parseLong(p[2]) : 0);
  }

  public long paramOr(long dflt) {
    return param == 0 ? dflt : param;
  }
}

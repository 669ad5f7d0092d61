package dev.coderssh.sandbox.faults;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A queue of token-endpoint faults, consumed one request at a time in the order injected. */
public final class Faults {
  private final Deque<Fault> queue = new ArrayDeque<>();

  public synchronized void inject(Fault fault) {
    queue.addLast(fault);
  }

  public synchronized void clear() {
    queue.clear();
  }

  /** The fault for this request, or null to answer normally. */
  public synchronized Fault next() {
    Fault head = queue.pollFirst();
    if (head == null) {
      return null;
    }
    if (head.count() > 1) {
      queue.addFirst(new Fault(head.kind(), head.count() - 1, head.param()));
    }
    return head;
  }

  public synchronized List<Map<String, Object>> pending() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Fault f : queue) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", f.kind().wireName());
      m.put("count", f.count());
      m.put("param", f.param());
      out.add(m);
    }
    return out;
  }
}

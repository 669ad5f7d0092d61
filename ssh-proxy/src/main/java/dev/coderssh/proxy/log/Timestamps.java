package dev.coderssh.proxy.log;

/**
 * UTC ISO-8601 timestamps by arithmetic: {@code Instant.toString()} pulls in java.time.format,
 * dozens of classes the ProxyCommand would load on every connection for one log line.
 */
final class Timestamps {
    private Timestamps() {
    }

    static String iso(long epochMillis) {
        long secs = Math.floorDiv(epochMillis, 1000L);
        long days = Math.floorDiv(secs, 86400L);
        long sod = secs - days * 86400L;
        // Civil-from-days (H. Hinnant): proleptic Gregorian calendar.
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        StringBuilder sb = new StringBuilder(24);
        sb.append(y).append('-');
        two(sb, m).append('-');
        two(sb, d).append('T');
        two(sb, sod / 3600).append(':');
        two(sb, sod / 60 % 60).append(':');
        two(sb, sod % 60).append('.');
        long ms = Math.floorMod(epochMillis, 1000L);
        sb.append(ms < 100 ? (ms < 10 ? "00" : "0") : "").append(ms);
        return sb.append('Z').toString();
    }

    private static StringBuilder two(StringBuilder sb, long v) {
        return sb.append(v < 10 ? "0" : "").append(v);
    }
}

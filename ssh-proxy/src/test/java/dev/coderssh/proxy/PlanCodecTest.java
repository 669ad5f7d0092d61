package dev.coderssh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coderssh.core.CoderSshException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanCodecTest {
    private static final String TOKEN = "Abcdefghij-0123456789abcdefghijkl";

    private static Plan.ExecCli plan(String token, List<String> argv) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CODER_URL", "https://coder.example.com");
        env.put("CODER_SESSION_TOKEN", token);
        return new Plan.ExecCli(env, argv);
    }

    @Test
    void encodesOneValuePerLineBetweenMagicAndEnd() {
        String text = PlanCodec.encode(plan(TOKEN, List.of("/bin/coder", "ssh", "", " spaced ")));
        assertThat(text).isEqualTo("coder-ssh-plan-1\nenv CODER_URL=https://coder.example.com\n"
                + "env CODER_SESSION_TOKEN=" + TOKEN + "\narg /bin/coder\narg ssh\narg \narg  spaced \n"
                + "coder-ssh-plan-end\n");
        assertThat(PlanCodec.decode(text).argv()).containsExactly("/bin/coder", "ssh", "", " spaced ");
        assertThat(PlanCodec.decode(text).env()).containsEntry("CODER_SESSION_TOKEN", TOKEN);
    }

    @Test
    void refusesLineBreaksAndNulWithoutEchoingTheValue() {
        for (String bad : new String[] {"a\nb", "a\rb", "a\0b"}) {
            assertThatThrownBy(() -> PlanCodec.encode(plan("secret" + bad, List.of("/bin/coder"))))
                    .isInstanceOf(CoderSshException.class).hasMessageNotContaining("secret");
            assertThatThrownBy(() -> PlanCodec.encode(plan(TOKEN, List.of("/bin/coder", bad))))
                    .isInstanceOf(CoderSshException.class);
        }
    }

    @Test
    void aPlanMaySetOnlyTheKnownVariables() {
        assertThatThrownBy(() -> new Plan.ExecCli(Map.of("LD_PRELOAD", "/x.so"), List.of("/bin/coder")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringNeverShowsTheToken() {
        assertThat(plan(TOKEN, List.of("/bin/coder")).toString()).doesNotContain(TOKEN);
    }

    @Test
    void decodeRejectsATruncatedPlan() {
        String text = PlanCodec.encode(plan(TOKEN, List.of("/bin/coder")));
        assertThatThrownBy(() -> PlanCodec.decode(text.substring(0, text.length() - 5)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

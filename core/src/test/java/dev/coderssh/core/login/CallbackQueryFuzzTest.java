package dev.coderssh.core.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coderssh.core.http.HttpResponse;
import dev.coderssh.core.oauth.OAuthMetadata;
import dev.coderssh.core.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Parsers of outside input never throw anything but their typed exceptions. */
class CallbackQueryFuzzTest {
    @Property(tries = 2000)
    void callbackQueriesNeverThrow(@ForAll String raw) {
        Map<String, String> q = LoopbackReceiver.query(raw);
        assertThat(q).isNotNull();
    }

    @Example
    void firstOfARepeatedParameterWins() {
        assertThat(LoopbackReceiver.query("state=a&state=b&code=%zz&x")).containsEntry("state", "a")
                .doesNotContainKey("code").containsEntry("x", "");
    }

    @Property(tries = 1000)
    void metadataFromArbitraryJsonNeverThrows(@ForAll String text) {
        try {
            OAuthMetadata m = OAuthMetadata.parse(text, "https://coder.example.com");
            m.problems();
            m.preferredAuthMethod();
        } catch (JsonException expected) {
            // typed
        }
    }

    @Property(tries = 1000)
    void tokenResponsesNeverThrow(@ForAll String body, @ForAll int status) {
        dev.coderssh.core.oauth.TokenResultsProbe.parse(new HttpResponse(Math.floorMod(status, 600),
                Map.of(), body.getBytes(StandardCharsets.UTF_8)));
    }
}

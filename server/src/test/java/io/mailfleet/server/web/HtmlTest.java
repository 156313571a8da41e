package io.mailfleet.server.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Html}: every value is escaped unless it is markup built by {@link Html} itself. */
class HtmlTest {

    @Test
    void valuesAreEscapedInTextAndAttributes() {
        Html h = Html.of("<td title=\"{}\">{}</td>", "a\"b'c", "<script>alert(1)</script> & \u0000");
        assertEquals("<td title=\"a&quot;b&#39;c\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; \uFFFD</td>", h.toString());
    }

    @Test
    void markupIsKeptAndNullIsNothing() {
        Html inner = Html.of("<b>{}</b>", "<i>");
        assertEquals("<p><b>&lt;i&gt;</b></p>", Html.of("<p>{}{}</p>", inner, null).toString());
        assertEquals("<li>&lt;a&gt;</li><li>b</li>", Html.each(List.of("<a>", "b"), s -> Html.of("<li>{}</li>", s)).toString());
    }

    @Test
    void holesAndArgumentsMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> Html.of("<p>{}</p>"));
        assertThrows(IllegalArgumentException.class, () -> Html.of("<p></p>", "x"));
    }
}

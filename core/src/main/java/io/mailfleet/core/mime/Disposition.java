package io.mailfleet.core.mime;

import java.util.List;

/** Content-Disposition of a part: its type as written and its parameters in order. */
public record Disposition(String type, List<Param> params) {

    public Disposition {
        params = List.copyOf(params);
    }
}

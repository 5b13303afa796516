package io.inferenceworker.testkit.sim;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What the dialect handlers share: settings, the programmable state and the JSON mapper. */
record SimContext(SimulatorConfig config, Scenarios scenarios, Pacing pacing, Credentials credentials, Ids ids,
                  ObjectMapper json) {
}

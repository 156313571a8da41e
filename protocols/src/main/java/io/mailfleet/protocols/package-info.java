package io.mailfleet.protocols;

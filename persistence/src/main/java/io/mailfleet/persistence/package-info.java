package io.mailfleet.persistence;

"""The outgoing wing (văn bản đi): the outbox, signature checks and the agency's signature, the
sổ đi, recipients from "Nơi nhận" and "Kính gửi", and delivery by email, every attempt
recorded. `daemon.dispatch.wing.outgoing` plugs it into the service; it never imports the
incoming wing (they meet only in the register)."""

OUTGOING = "dispatch"  # the job kind of a signed document dropped into the outbox
DELIVER = "deliver"  # the job kind of one delivery: one document to one recipient agency
DELIVER_URGENT = "deliver_urgent"  # the same for Hỏa tốc, Thượng khẩn, Khẩn: sent first

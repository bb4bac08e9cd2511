"""Live lessons: the teacher's page drives every student's page over WebSockets, and the class
answers questions before the reveal. settings.py (GRADTRACE_*), codes.py (join codes, tokens),
protocol.py (the messages), questions.py (answers -> histogram, reveal, summary), store.py (lessons
in this process or in Redis), hub.py (this worker's sockets), service.py (one socket's session)."""

"""What several blueprints share, beside the services: the safe way back to a page (navigation),
forms more than one blueprint shows (forms), and the page a closed-book quiz puts in front of its
bank (closed_book). A blueprint imports from here, never from another blueprint."""

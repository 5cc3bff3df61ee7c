package bot

import (
	"errors"
	"fmt"
)

// Error codes of application errors.
const (
	ECONFLICT     = "conflict"     // e.g. already done
	EINVALID      = "invalid"      // the user typed something we cannot use
	ENOTFOUND     = "not_found"    // no such item, member, figure
	EFORBIDDEN    = "forbidden"    // role too low, or not a member
	EUNAVAILABLE  = "unavailable"  // a backing service is down: try again later
	EINTERNAL     = "internal"     // a bug: logged with detail, user sees a short sentence
	ERATELIMITED  = "rate_limited" // too many messages
	EINTERNALText = "出了点问题，已记录，请稍后再试。"
)

// Error is the one application error type: a code and a message fit to show a phone user (Chinese).
type Error struct {
	Code    string
	Message string
	Err     error // the cause, for logs only
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an application error with a user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, EINTERNAL for any other error, "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, ErrUnavailable):
		return EUNAVAILABLE
	}
	return EINTERNAL
}

// ErrorMessage renders err for a chat user. This is the one place errors become text.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	case errors.Is(err, ErrReading):
		return "暂时无法读取数据，请稍后再试。"
	case errors.Is(err, ErrUnavailable):
		return "暂时无法保存，请稍后再试。"
	}
	return EINTERNALText
}

// Sentinel errors at the store boundary; stores wrap them with %w.
var (
	ErrNotFound    = errors.New("not found")
	ErrAlreadyDone = errors.New("already done")
	ErrNotDone     = errors.New("not done")
	ErrUnavailable = errors.New("store unavailable")
	// ErrReading is wrapped, beside ErrUnavailable, around a read that failed because the store
	// is down: the user is told it could not read (not that it could not save).
	ErrReading = errors.New("reading")
)

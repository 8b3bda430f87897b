/* SPDX-License-Identifier: MIT */
#include <stdarg.h>

#include "core/format.h"
#include "core/log.h"
#include "core/vm.h"

static void vm_vlog(const struct vm *vm, const char *fmt, va_list ap)
{
	char msg[200];

	str_vformat(msg, sizeof(msg), fmt, ap);
	log_line("vm %s: %s", vm->cfg->label, msg);
}

void vm_log(const struct vm *vm, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vm_vlog(vm, fmt, ap);
	va_end(ap);
}

void vm_log_fault(struct vm *vm, const char *fmt, ...)
{
	unsigned n = __atomic_fetch_add(&vm->faults_logged, 1, __ATOMIC_RELAXED);
	va_list ap;

	if (n > VM_FAULT_LOG_MAX)
		return;
	if (n == VM_FAULT_LOG_MAX) {
		vm_log(vm, "further faults not logged");
		return;
	}
	va_start(ap, fmt);
	vm_vlog(vm, fmt, ap);
	va_end(ap);
}
